/**
 * `ssmd sim`: a local Kalshi exchange (WebSocket + REST) for running and testing ssmd with no
 * Kalshi account. Prints its URLs and the `export KALSHI_API_KEY=... KALSHI_PRIVATE_KEY_PATH=...`
 * line clients need; runs until SIGTERM/SIGINT.
 */
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { onShutdown } from "../../adapters/shutdown.js";
import { parseDuration } from "../../components/sim/fault-spec.js";
import { PRIVATE_KEY_FILE, type SimOptions, startSimulator } from "../../components/sim/index.js";
import { ValidationError } from "../../core/errors.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import { printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";

interface SimFlags {
  host: string;
  port: string;
  markets: string;
  seed: string;
  rate: string;
  format: string;
  auth: string;
  keysDir?: string;
  faults?: string;
  pingInterval: string;
  lifecycleInterval: string;
  restRate: string;
  maxMarkets: string;
  json?: boolean;
}

const EXAMPLE = `
Fault schedule (--faults): comma-separated KIND[:ARG]@TIME[+EVERY], times like 500ms, 30s, 2m.
  kinds: disconnect, skip_seq, duplicate_seq, seq_reset, malformed, stall[:DURATION],
         slow_start[:DURATION], rest_429[:DURATION], format_switch[:legacy|current], buffer_overflow
  On demand: curl -X POST http://127.0.0.1:8765/_sim/faults -d '{"kind":"disconnect"}'

Example:
  ssmd sim --keys-dir ./sim-keys --markets 100 --rate 500 --faults "disconnect@2m+5m,skip_seq@30s"
`;

export const simCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    program
      .command("sim")
      .description("run a local Kalshi exchange simulator (WebSocket + REST) on loopback")
      .option("--host <host>", "listen address", "127.0.0.1")
      .option("--port <port>", "listen port (0 = any free port)", "8765")
      .option("--markets <n>", "markets trading at any time", "50")
      .option("--seed <n>", "world seed (same seed → same markets and message stream)", "1")
      .option("--rate <msgs>", "market-data messages per second overall (0 = only via /_sim/step)", "100")
      .option("--format <format>", "wire format: current | legacy (integer cents, ≤ 2026-03)", "current")
      .option("--auth <mode>", "required (401 unless signed) | optional (2025: unsigned allowed)", "required")
      .option(
        "--keys-dir <dir>",
        "write/reuse api-key and private-key.pem here (default: $TMPDIR/ssmd-sim-keys)",
      )
      .option("--faults <spec>", "fault schedule, see below")
      .option("--ping-interval <ms>", "ms between heartbeat pings", "10000")
      .option("--lifecycle-interval <duration>", "simulated time between market closes/listings", "60s")
      .option("--rest-rate <n>", "REST requests per second before 429", "100")
      .option("--max-markets <n>", "markets per subscription before error 26", "1000")
      .option("--json", "print the startup info as JSON")
      .addHelpText("after", EXAMPLE)
      .action((flags: SimFlags) => runSim(ctx, flags));
  },
};

function integer(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new ValidationError(`--${name} must be an integer, got '${text}'`);
  return value;
}

function toOptions(ctx: CliContext, flags: SimFlags): SimOptions & { keysDir: string } {
  const lifecycle = parseDuration(flags.lifecycleInterval);
  if (lifecycle === undefined) {
    throw new ValidationError(
      `--lifecycle-interval must be a duration like 30s or 2m, got '${flags.lifecycleInterval}'`,
    );
  }
  return {
    host: flags.host,
    port: integer("port", flags.port),
    markets: integer("markets", flags.markets),
    seed: integer("seed", flags.seed),
    rate: Number(flags.rate),
    format: flags.format as SimOptions["format"],
    auth: flags.auth as SimOptions["auth"],
    keysDir: resolve(ctx.cwd, flags.keysDir ?? join(tmpdir(), "ssmd-sim-keys")),
    faults: flags.faults,
    pingIntervalMs: integer("ping-interval", flags.pingInterval),
    lifecycleIntervalMs: lifecycle,
    restRate: Number(flags.restRate),
    limits: { maxMarketsPerSubscription: integer("max-markets", flags.maxMarkets) },
    startTimeMs: Date.now(),
  };
}

async function runSim(ctx: CliContext, flags: SimFlags): Promise<void> {
  const options = toOptions(ctx, flags);
  const logger = commandLogger(ctx, "sim");
  const sim = await startSimulator({ ...options, logger });
  const keyPath = join(options.keysDir, PRIVATE_KEY_FILE);
  const exportLine = `export KALSHI_API_KEY=${sim.apiKeyId} KALSHI_PRIVATE_KEY_PATH=${keyPath}`;
  if (flags.json) {
    const { wsUrl, restUrl, controlUrl, apiKeyId } = sim;
    printJson(ctx, { wsUrl, restUrl, controlUrl, apiKeyId, privateKeyPath: keyPath, export: exportLine });
  } else {
    printLine(
      ctx,
      `ssmd sim: ${options.markets} markets, seed ${options.seed}, ${options.rate} msgs/s, format ${options.format}, auth ${options.auth}`,
    );
    printLine(ctx, `  ws       ${sim.wsUrl}`);
    printLine(ctx, `  rest     ${sim.restUrl}`);
    printLine(ctx, `  control  ${sim.controlUrl}`);
    printLine(ctx, `  keys     ${options.keysDir}`);
    printLine(ctx, exportLine);
  }
  await new Promise<void>((done) => {
    onShutdown(
      async (signal) => {
        logger.info("shutting down", { signal });
        await sim.stop();
      },
      (code) => {
        process.exitCode = code;
        done();
      },
    );
  });
}
