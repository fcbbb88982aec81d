/**
 * `ssmd data replay`: a day replayed as if live — to stdout (NDJSON archive lines), to NATS
 * under `replay.{prefix}` (live subjects untouched), or as a Kalshi WebSocket (same handshake,
 * commands and frames as `ssmd sim`). `--to` takes both the target and, as HH:MM, the end time.
 * NATS and WebSocket code load only when that target is chosen.
 */
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import type { ArchiveQuery } from "../../adapters/archive-reader/archive-reader.js";
import { readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { Logger } from "../../adapters/log.js";
import { onShutdown } from "../../adapters/shutdown.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import {
  parseDate,
  parseTickers,
  parseTimeOfDay,
  parseTypeFilter,
} from "../../components/data-api/params.js";
import { type ReplayResult, type ReplaySink, runReplay } from "../../components/replay/replay-engine.js";
import { parseSpeed, type ReplaySpeed } from "../../components/replay/replay-pacer.js";
import { busSink, ndjsonSink, validateReplayPrefix } from "../../components/replay/replay-sinks.js";
import { ValidationError } from "../../core/errors.js";
import { scanFrameHeader } from "../../core/kalshi/scan-frame.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import { createProgress, printJson } from "../output.js";
import { DEFAULT_FEED, feedOption, openCatalog, type PathOptions, withPathOption } from "./data-common.js";

const TARGETS = ["stdout", "nats", "kalshi-ws"] as const;
type Target = (typeof TARGETS)[number];

interface ReplayOptions extends PathOptions {
  feed?: string;
  date: string;
  symbol?: string;
  type?: string;
  from?: string;
  to: string[];
  until?: string;
  speed: string;
  natsUrl: string;
  prefix?: string;
  stream: string;
  host: string;
  port: string;
  keysDir?: string;
  auth: string;
  exitOnEnd?: boolean;
}

export function registerReplay(data: Command, ctx: CliContext): void {
  withPathOption(data.command("replay").description("replay a day as if live: stdout | nats | kalshi-ws"))
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .requiredOption("--date <date>", "day (YYYY-MM-DD)")
    .option("--symbol <tickers>", "only these tickers (comma-separated)")
    .option("--type <type>", "only these channels or message types")
    .option("--from <HH:MM>", "start time within the day")
    .option(
      "--to <target|HH:MM>",
      "stdout | nats | kalshi-ws, and/or an end time HH:MM",
      (v, all: string[]) => [...all, v],
      [],
    )
    .option("--until <HH:MM>", "end time (same as --to HH:MM)")
    .option("--speed <speed>", "1 (original timing), 10, any factor, or max", "1")
    .option("--nats-url <url>", "NATS for --to nats", "nats://127.0.0.1:4222")
    .option("--prefix <prefix>", "subjects become replay.{prefix}.json... (default: the original prefix)")
    .option("--stream <name>", "JetStream stream over replay.> (created if missing)", "REPLAY")
    .option("--host <host>", "kalshi-ws listen address", "127.0.0.1")
    .option("--port <port>", "kalshi-ws listen port (0 = any free port)", "8765")
    .option("--keys-dir <dir>", "kalshi-ws: api-key + private-key.pem (default: $TMPDIR/ssmd-replay-keys)")
    .option("--auth <mode>", "kalshi-ws: required | optional", "required")
    .option("--exit-on-end", "kalshi-ws: exit when the day is replayed (default: keep serving until SIGTERM)")
    .addHelpText(
      "after",
      "\nExamples:\n  ssmd data replay --date 2026-11-21 --speed max --to stdout | head\n  ssmd data replay --date 2026-11-21 --symbol KXBTCD-26NOV21-T67749.99 --from 14:00 --to 15:00 --speed 10 --to nats\n  ssmd data replay --date 2026-11-21 --to kalshi-ws --port 8765 --keys-dir ./replay-keys\n",
    )
    .action((options: ReplayOptions) => replay(ctx, options));
}

function splitTo(values: string[], until: string | undefined): { target: Target; end: string | undefined } {
  const targets = values.filter((v) => (TARGETS as readonly string[]).includes(v)) as Target[];
  const times = values.filter((v) => !(TARGETS as readonly string[]).includes(v));
  if (targets.length !== 1)
    throw new ValidationError("say where to replay exactly once: --to stdout | nats | kalshi-ws");
  if (times.length + (until ? 1 : 0) > 1)
    throw new ValidationError("give one end time (--to HH:MM or --until HH:MM)");
  return { target: targets[0]!, end: until ?? times[0] };
}

async function replay(ctx: CliContext, options: ReplayOptions): Promise<void> {
  const { target, end } = splitTo(options.to, options.until);
  const feed = feedOption(options.feed);
  const date = parseDate(options.date, "--date");
  const speed = parseSpeed(options.speed);
  const query: ArchiveQuery = {
    feed,
    fromDate: date,
    toDate: date,
    tickers: parseTickers(options.symbol),
    ...parseTypeFilter(options.type),
    fromUs: parseTimeOfDay(options.from, date, "--from"),
    toUs: parseTimeOfDay(end, date, "--to"),
  };
  if (options.prefix !== undefined) validateReplayPrefix(options.prefix);
  const catalog = await openCatalog(ctx, options);
  await catalog.requireDay(feed, date);
  const logger = commandLogger(ctx, "replay", { out: ctx.stderr });
  const controller = new AbortController();
  const run = (sink: ReplaySink, s: ReplaySpeed = speed) =>
    play(ctx, catalog.store, query, s, sink, controller.signal);
  const finished =
    target === "stdout"
      ? run(ndjsonSink(ctx.stdout))
      : target === "nats"
        ? replayToNats(options, logger, run)
        : replayToKalshiWs(ctx, options, catalog.store, query, logger, run, controller.signal);
  onShutdown(
    async () => {
      controller.abort();
      await finished.catch(() => {});
    },
    () => {},
  );
  const result = await finished;
  const summary = { target, feed, date, speed, ...result };
  if (options.json && target === "stdout") ctx.stderr.write(`${JSON.stringify(summary)}\n`);
  else if (options.json) printJson(ctx, summary);
  else
    ctx.stderr.write(
      `replayed ${result.records} records (${result.gaps} gap records) to ${target}${result.aborted ? " (stopped)" : ""}\n`,
    );
}

async function play(
  ctx: CliContext,
  store: ObjectStore,
  query: ArchiveQuery,
  speed: ReplaySpeed,
  sink: ReplaySink,
  signal: AbortSignal,
): Promise<ReplayResult> {
  const progress = createProgress(ctx, "replaying");
  const result = await runReplay({ store, query, speed, sink, signal, onRecord: (n) => progress.update(n) });
  progress.finish(`${result.records} records`);
  return result;
}

async function replayToNats(
  options: ReplayOptions,
  logger: Logger,
  run: (sink: ReplaySink) => Promise<ReplayResult>,
): Promise<ReplayResult> {
  const { connectNatsBus } = await import("../../adapters/bus/nats-bus.js");
  const bus = await connectNatsBus({ url: options.natsUrl, name: "ssmd-replay", logger });
  try {
    await bus.ensureStream({ name: options.stream, subjects: ["replay.>"], storage: "file" });
    return await run(busSink(bus, { prefix: options.prefix }));
  } finally {
    await bus.close();
  }
}

async function replayToKalshiWs(
  ctx: CliContext,
  options: ReplayOptions,
  store: ObjectStore,
  query: ArchiveQuery,
  logger: Logger,
  run: (sink: ReplaySink) => Promise<ReplayResult>,
  signal: AbortSignal,
): Promise<ReplayResult> {
  if (options.auth !== "required" && options.auth !== "optional") {
    throw new ValidationError(`invalid --auth '${options.auth}'`, ["required | optional"]);
  }
  const { startKalshiWsReplay } = await import("../../components/replay/kalshi-ws-replay.js");
  const { loadOrCreateKeys, PRIVATE_KEY_FILE } = await import("../../components/sim/auth.js");
  const keysDir = resolve(ctx.cwd, options.keysDir ?? join(tmpdir(), "ssmd-replay-keys"));
  const keys = await loadOrCreateKeys(keysDir);
  const server = await startKalshiWsReplay(
    { host: options.host, port: Number(options.port), authMode: options.auth, pingIntervalMs: 10_000 },
    { keys, logger, knownTickers: await tickersOf(store, query) },
  );
  ctx.stderr.write(`kalshi-ws replay at ${server.url}\n`);
  ctx.stderr.write(
    `export KALSHI_API_KEY=${keys.apiKeyId} KALSHI_PRIVATE_KEY_PATH=${join(keysDir, PRIVATE_KEY_FILE)}\n`,
  );
  try {
    await Promise.race([server.firstSubscription, aborted(signal)]);
    const result = signal.aborted ? emptyResult(true) : await run(server.sink);
    if (!options.exitOnEnd && !signal.aborted) await aborted(signal);
    return result;
  } finally {
    await server.close();
  }
}

/** Every ticker the replay will mention, so subscriptions by ticker are accepted up front. */
async function tickersOf(store: ObjectStore, query: ArchiveQuery): Promise<Set<string>> {
  const tickers = new Set<string>();
  for await (const record of readArchive(store, { ...query, includeGaps: false })) {
    const ticker = scanFrameHeader(record.msg)?.ticker;
    if (ticker) tickers.add(ticker);
  }
  return tickers;
}

function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted
    ? Promise.resolve()
    : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function emptyResult(wasAborted: boolean): ReplayResult {
  return { records: 0, gaps: 0, firstRt: null, lastRt: null, aborted: wasAborted };
}
