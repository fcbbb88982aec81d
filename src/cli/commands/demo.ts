/**
 * `ssmd demo [--dir ./ssmd-demo] [--markets 50] [--rate 500] [--nats URL] [--duration S]`:
 * the whole pipeline in one process — simulator → connector → bus (in-process, or NATS
 * JetStream with --nats) → archiver, plus the gateway and its dashboard — with a live status
 * screen on a terminal (plain log lines otherwise). Ctrl-C / SIGTERM / --duration drain and seal everything, print a summary, exit 0.
 */
import { randomInt } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { createMemoryBus } from "../../adapters/bus/memory-bus.js";
import { connectNatsBus } from "../../adapters/bus/nats-bus.js";
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { archivedSeqHigh } from "../../components/demo/archive-position.js";
import { type DemoConfig, resolveDemoConfig } from "../../components/demo/config.js";
import { createDemo, type Demo } from "../../components/demo/demo.js";
import { RateMeter } from "../../components/demo/rates.js";
import { renderLogLine, renderScreen, renderSummary } from "../../components/demo/status-view.js";
import { ValidationError } from "../../core/errors.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import { printJson } from "../output.js";
import type { CommandModule } from "./command-module.js";

interface DemoFlags {
  dir: string;
  markets: string;
  rate: string;
  nats?: string;
  duration?: string;
  rotation: string;
  seed?: string;
  gatewayPort: string;
  json?: boolean;
}

const EXAMPLE = `
On a terminal the screen refreshes every second; otherwise a JSON status line is logged every
2 s. Component logs go to DIR/demo.log on a terminal, to stdout otherwise.

Examples:
  npx ssmd demo
  ssmd demo --dir ./ssmd-demo --markets 100 --rate 1000
  ssmd demo --nats nats://127.0.0.1:4222 --duration 60
`;

export const demoCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    program
      .command("demo")
      .description("run simulator → connector → bus → archiver + gateway in one process, with a live status")
      .option("--dir <dir>", "archive root directory", "./ssmd-demo")
      .option("--markets <n>", "simulated markets", "50")
      .option("--rate <msgs>", "simulated market-data messages per second", "500")
      .option("--nats <url>", "use NATS JetStream at this URL instead of the in-process bus")
      .option("--duration <seconds>", "stop by itself after this many seconds")
      .option("--rotation <interval>", "archive file rotation interval (1s..24h)", "1m")
      .option("--seed <n>", "simulator world seed (default: a new one each run, logged)")
      .option(
        "--gateway-port <port>",
        "gateway + dashboard port (a taken port falls back to a free one)",
        "8081",
      )
      .option("--json", "print the final summary as JSON")
      .addHelpText("after", EXAMPLE)
      .action((flags: DemoFlags) => runDemo(ctx, flags));
  },
};

async function runDemo(ctx: CliContext, flags: DemoFlags): Promise<void> {
  const config = resolveDemoConfig({
    dir: resolve(ctx.cwd, flags.dir),
    markets: numberFlag("markets", flags.markets),
    rate: numberFlag("rate", flags.rate),
    // A fresh world each run: a repeated seed repeats trade ids, which the archive deduplicates.
    seed: flags.seed === undefined ? randomInt(1, 2 ** 31) : numberFlag("seed", flags.seed),
    rotation: flags.rotation,
    gatewayPort: numberFlag("gateway-port", flags.gatewayPort),
  });
  const durationMs = flags.duration === undefined ? undefined : numberFlag("duration", flags.duration) * 1000;
  if (durationMs !== undefined && !(durationMs > 0))
    throw new ValidationError("--duration must be > 0 seconds");
  await mkdir(config.dir, { recursive: true });
  const logFile = ctx.isTTY ? createWriteStream(join(config.dir, "demo.log"), { flags: "a" }) : undefined;
  const logger = commandLogger(ctx, "demo", { out: logFile ?? ctx.stdout });
  logger.info("demo starting", { dir: config.dir, seed: config.seed, bus: flags.nats ? "nats" : "memory" });
  const bus = await openBus(flags.nats, config, logger);
  const demo = createDemo(config, { bus, logger });
  try {
    await demo.start();
  } catch (error) {
    await demo.stop().catch(() => undefined);
    await closeAll(bus, logFile);
    throw error;
  }
  ctx.stdout.write(`dashboard: ${demo.snapshot().dashboardUrl}\n`);
  const reason = await runUntilStopped(ctx, demo, config.dir, durationMs);
  logger.info("demo stopping", { reason });
  const summary = await demo.stop();
  await closeAll(bus, logFile);
  if (flags.json) printJson(ctx, { ...summary, stopReason: reason });
  else ctx.stdout.write(renderSummary(summary));
  const failure = demo.failure();
  if (failure) throw failure;
}

async function openBus(natsUrl: string | undefined, config: DemoConfig, logger: Logger): Promise<Bus> {
  // A fresh in-process stream continues after the highest seq already archived in --dir, so a rerun
  // into the same day keeps one monotonic seq space (the archiver would cope with a restart at 1 as a
  // new stream epoch, but the day's sequence checks in `ssmd data quality` read better this way).
  if (!natsUrl) return createMemoryBus({ firstSeq: (await archivedSeqHigh(config.dir, config.feed)) + 1 });
  return connectNatsBus({ url: natsUrl, name: "ssmd-demo", logger });
}

/** Refreshes the status until a signal, --duration or an archiver failure; returns why it stopped. */
function runUntilStopped(ctx: CliContext, demo: Demo, dir: string, durationMs: number | undefined) {
  const meter = new RateMeter();
  const render = () => {
    const snapshot = demo.snapshot();
    const rates = meter.sample(Date.now(), snapshot.onBus.byChannel);
    ctx.stdout.write(ctx.isTTY ? renderScreen(snapshot, rates, dir) : renderLogLine(snapshot, rates));
  };
  return new Promise<string>((done) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (reason: string) => {
      for (const timer of timers) clearTimeout(timer);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      // A second Ctrl-C while draining falls through to the default handler and ends the process.
      done(reason);
    };
    const onSignal = (signal: NodeJS.Signals) => finish(signal);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    timers.push(setInterval(render, ctx.isTTY ? 1000 : 2000));
    timers.push(
      setInterval(() => {
        if (demo.failure()) finish("archiver failure");
      }, 250),
    );
    if (durationMs !== undefined) timers.push(setTimeout(() => finish("duration"), durationMs));
  });
}

async function closeAll(bus: Bus, logFile: WriteStream | undefined): Promise<void> {
  await bus.close();
  if (logFile) await new Promise<void>((resolveClose) => logFile.end(resolveClose));
}

function numberFlag(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new ValidationError(`--${name} must be a number, got '${text}'`);
  }
  return value;
}
