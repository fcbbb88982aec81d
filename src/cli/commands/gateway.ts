/**
 * `ssmd gateway --env E [--port 8081]` (also `ssmd-gateway`): the environment's stream →
 * WebSocket /v1/stream, REST /v1/..., the dashboard at /, and /health /ready /metrics, on one
 * port. Runs until SIGTERM/SIGINT, then tells clients, closes them and exits 0.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { connectNatsBus } from "../../adapters/bus/nats-bus.js";
import { onShutdown } from "../../adapters/shutdown.js";
import { resolveGatewayConfig } from "../../components/gateway/config.js";
import { createGateway } from "../../components/gateway/gateway.js";
import { ConfigError, ValidationError } from "../../core/errors.js";
import { loadEnvironmentFile } from "../../metadata/load.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";

interface GatewayOptions {
  env: string;
  port?: string;
  host: string;
  apiKeyFile?: string;
  startFrom: string;
  maxSymbols?: string;
}

const HELP = `
Clients: ws://HOST:PORT/v1/stream?symbols=A,B (or send {"action":"subscribe","symbols":[...]}),
REST GET /v1/health, /v1/markets, /v1/markets/{ticker}[/trades|/orderbook|/prices], dashboard at /.

Environment: PORT (default port), SSMD_GATEWAY_API_KEYS (comma-separated keys; clients send
X-API-Key or ?api_key=), LOG_LEVEL

Examples:
  ssmd gateway --env exchanges/environments/kalshi-dev.yaml
  ssmd gateway --env exchanges/environments/kalshi-sim.yaml --port 9000 --api-key-file keys.txt
`;

export const gatewayCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    program
      .command("gateway")
      .description("serve live order books, trades and tickers over WebSocket + REST, with a dashboard")
      .requiredOption("--env <file>", "environment file: NATS URL, stream and subject prefix")
      .option("--port <port>", "HTTP/WebSocket port (default: PORT or 8081)")
      .option("--host <host>", "listen address", "0.0.0.0")
      .option("--api-key-file <file>", "require API keys: one key per line")
      .option(
        "--start-from <where>",
        "all: replay the stream so books find their snapshots; new: live only",
        "all",
      )
      .option("--max-symbols <n>", "symbols per client connection", "500")
      .addHelpText("after", HELP)
      .action((options: GatewayOptions) => runGateway(ctx, options));
  },
};

async function runGateway(ctx: CliContext, options: GatewayOptions): Promise<void> {
  const logger = commandLogger(ctx, "gateway");
  const environment = await loadEnvironmentFile(options.env);
  const transport = environment.transport;
  if (transport.type !== "nats") {
    throw new ConfigError(
      `transport '${transport.type}' only works in-process (ssmd demo); the gateway needs nats`,
    );
  }
  if (options.startFrom !== "all" && options.startFrom !== "new") {
    throw new ValidationError(`--start-from must be 'all' or 'new', got '${options.startFrom}'`);
  }
  const config = resolveGatewayConfig({
    stream: transport.stream,
    prefix: transport.subject_prefix,
    host: options.host,
    port: portNumber(options.port ?? ctx.env.PORT ?? "8081"),
    apiKeys: await apiKeys(ctx, options.apiKeyFile),
    startFrom: options.startFrom,
    limits: { maxSymbols: portNumber(options.maxSymbols ?? "500", "--max-symbols", 1_000_000) },
  });
  const bus = await connectNatsBus({ url: transport.url, name: "ssmd-gateway", logger });
  const gateway = createGateway(config, { bus, logger });
  try {
    await gateway.start();
  } catch (error) {
    await bus.close();
    throw error;
  }
  await new Promise<void>((resolve) => {
    const watchdog = setInterval(() => {
      const failure = gateway.failure();
      if (!failure) return;
      clearInterval(watchdog);
      logger.error("feed failed, stopping", { error: failure.message });
      void gateway
        .stop()
        .then(() => bus.close())
        .finally(() => {
          process.exitCode = 3;
          resolve();
        });
    }, 1000);
    onShutdown(
      async (signal) => {
        clearInterval(watchdog);
        logger.info("shutting down", { signal });
        await gateway.stop();
        await bus.close();
      },
      (code) => {
        process.exitCode = code;
        resolve();
      },
    );
  });
}

async function apiKeys(ctx: CliContext, file: string | undefined): Promise<string[]> {
  const fromEnv = (ctx.env.SSMD_GATEWAY_API_KEYS ?? "").split(",");
  let fromFile: string[] = [];
  if (file) {
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      throw new ConfigError(`cannot read API key file ${file}`, { cause: error });
    });
    fromFile = text.split("\n");
  }
  return [...fromEnv, ...fromFile]
    .map((key) => key.trim())
    .filter((key) => key.length > 0 && !key.startsWith("#"));
}

function portNumber(text: string, flag = "--port", max = 65_535): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ValidationError(`${flag} must be an integer 0..${max}, got '${text}'`);
  }
  return value;
}
