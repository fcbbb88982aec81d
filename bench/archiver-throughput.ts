/**
 * Archiver throughput: a stream pre-filled with simulator traffic (the sim's World + Generator,
 * encoded with the current Kalshi wire format, published with Nats-Msg-Id + Ssmd-Recv-Us like
 * the connector does) → sealed, fsynced .jsonl.gz files + manifests, through the real archiver
 * on a private nats-server. Baseline in the same run: plain nats.js durable pull consume + ack
 * + streaming gzip of the same payload bytes (no fsync, no files, no manifest).
 * Also: archive bytes per message (gzip) on that simulator traffic.
 * Targets: ≥ 100,000 msgs/s, ≥ 0.8 × baseline, ≤ 35 bytes/message.
 * Prints one JSON object. Run: node --import tsx bench/archiver-throughput.ts
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { createGzip, gunzipSync, gzipSync, type ZlibOptions } from "node:zlib";
import { AckPolicy, connect, headers as natsHeaders } from "nats";
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../src/adapters/log.js";
import { createLocalStore } from "../src/adapters/storage/local-store.js";
import { createArchiver } from "../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS } from "../src/components/archiver/config.js";
import { Generator } from "../src/components/sim/generator.js";
import { World } from "../src/components/sim/world.js";
import { encodeMessage } from "../src/core/kalshi/encode.js";
import { channelOfType } from "../src/core/kalshi/parse-channel.js";
import { scanFrameHeader } from "../src/core/kalshi/scan-frame.js";
import { dataSubject } from "../src/core/subjects.js";
import { startNatsServer } from "../test/helpers/nats-server.js";
import { tempDir } from "../test/helpers/tmp.js";

const N = 150_000;
const ROUNDS = 2;
const PREFIX = "bench.kalshi";
const TARGETS = { msgsPerSecond: 100_000, ratioToBaseline: 0.8, bytesPerMessage: 35 };

interface Frame {
  subject: string;
  data: Uint8Array;
  msgId: string;
  rtUs: number;
}

/** N frames of simulator traffic (200 markets, current wire format). */
function simulatorFrames(count: number): Frame[] {
  const world = new World({
    seed: 7,
    markets: 200,
    startTimeMs: Date.parse("2026-11-21T14:00:00Z"),
    lifecycleIntervalMs: 60_000,
    tradeHistory: 100,
  });
  world.populate();
  const frames: Frame[] = [];
  const encoder = new TextEncoder();
  const seqBySid = new Map<number, number>();
  const generator = new Generator(
    world,
    (message) => {
      const text = encodeMessage(message, { format: "current" });
      const header = text ? scanFrameHeader(text) : undefined;
      const channel = header ? channelOfType(header.type) : undefined;
      if (!text || !header || !channel || !header.ticker) return;
      const sid = header.sid ?? 0;
      const seq = (seqBySid.get(sid) ?? 0) + 1;
      seqBySid.set(sid, seq);
      frames.push({
        subject: dataSubject(PREFIX, channel, header.ticker),
        data: encoder.encode(text),
        msgId: header.tradeId ?? `${sid}:${header.seq ?? seq}:${frames.length}`,
        rtUs: world.nowMs * 1000 + (frames.length % 1000),
      });
    },
    0,
    () => 0,
  );
  while (frames.length < count) generator.produce(1000);
  return frames.slice(0, count);
}

/** Returns how many messages the stream holds (JetStream drops repeated msg ids). */
async function prefill(url: string, stream: string, frames: Frame[]): Promise<number> {
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${PREFIX}.>`] });
  const js = nc.jetstream();
  let next = 0;
  const worker = async () => {
    while (next < frames.length) {
      const frame = frames[next++]!;
      const h = natsHeaders();
      h.set("Ssmd-Recv-Us", String(frame.rtUs));
      await js.publish(frame.subject, frame.data, { msgID: frame.msgId, headers: h });
    }
  };
  await Promise.all(Array.from({ length: 500 }, worker));
  const info = await jsm.streams.info(stream);
  await nc.drain();
  return info.state.messages;
}

/** CPU time of this process (main thread + zlib threads) since `from`, µs per message. */
function cpuPerMessage(from: NodeJS.CpuUsage, count: number): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / count;
}

/** A plain nats.js durable pull consumer (explicit acks) and its message iterator. */
async function plainConsumer(url: string, stream: string, name: string, window: number) {
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: window,
  });
  const consumer = await nc.jetstream().consumers.get(stream, name);
  return { nc, consumer };
}

/** Plain nats.js: durable pull consume + ack + gzip of the same bytes. */
async function baseline(url: string, stream: string, count: number, name: string) {
  const { nc, consumer } = await plainConsumer(url, stream, name, ARCHIVER_DEFAULTS.maxAckPending);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const gzip = createGzip({ level: 6 });
  gzip.resume();
  const messages = await consumer.consume({ max_messages: ARCHIVER_DEFAULTS.batch });
  let seen = 0;
  let chunk: Uint8Array[] = [];
  let chunkBytes = 0;
  for await (const message of messages) {
    chunk.push(message.data);
    chunkBytes += message.data.byteLength;
    if (chunkBytes >= 128 * 1024) {
      gzip.write(Buffer.concat(chunk));
      chunk = [];
      chunkBytes = 0;
    }
    message.ack();
    if (++seen === count) break;
  }
  gzip.write(Buffer.concat(chunk));
  const ended = new Promise((resolve) => gzip.once("end", resolve));
  gzip.end();
  await ended;
  const rate = count / ((performance.now() - started) / 1000);
  const cpuUs = cpuPerMessage(cpu, count);
  await Promise.race([messages.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  await nc.close();
  return { rate, cpuUs };
}

/**
 * Ceiling, not a baseline: nats.js consume with acks sent in bursts (the fastest pattern found
 * here: 2,000 acks per burst, pulls of 1,000, 10,000 in flight — faster than the archiver's own
 * 10,000-message fsync bursts, which measured no better for the archiver) and no other work: what
 * delivery alone can reach on this machine.
 */
const CEILING = { ackBurst: 2000, pullBatch: 1000, maxAckPending: 10_000 };
async function consumeOnly(url: string, stream: string, count: number, name: string) {
  const { nc, consumer } = await plainConsumer(url, stream, name, CEILING.maxAckPending);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const messages = await consumer.consume({ max_messages: CEILING.pullBatch });
  let owed: { ack(): void }[] = [];
  let seen = 0;
  for await (const message of messages) {
    owed.push(message);
    seen++;
    if (owed.length >= CEILING.ackBurst || seen === count) {
      for (const m of owed) m.ack();
      owed = [];
    }
    if (seen === count) break;
  }
  await nc.flush();
  const rate = count / ((performance.now() - started) / 1000);
  const cpuUs = cpuPerMessage(cpu, count);
  await Promise.race([messages.close(), new Promise((resolve) => setTimeout(resolve, 2000))]);
  await nc.close();
  return { rate, cpuUs };
}

/** Single-thread cost of gzip at the archiver's level over the archive's own lines (µs/message). */
async function gzipCost(root: string, messages: number): Promise<number> {
  const text = await archiveText(root);
  const started = performance.now();
  gzipSync(text, { level: ARCHIVER_DEFAULTS.compressionLevel });
  return ((performance.now() - started) * 1000) / messages;
}

async function archive(url: string, stream: string, root: string, count: number, name: string) {
  const bus = await connectNatsBus({ url, name: "bench-archiver", logger: silentLogger });
  const archiver = createArchiver(
    {
      ...ARCHIVER_DEFAULTS,
      feed: "kalshi",
      stream,
      consumer: name,
      filterSubjects: [`${PREFIX}.>`],
      subjectPrefix: PREFIX,
      workDir: root,
      rotationMs: 15 * 60_000,
      bucketLabel: "local",
    },
    { bus, store: createLocalStore(root), logger: silentLogger },
  );
  const started = performance.now();
  const cpu = process.cpuUsage();
  await archiver.start();
  while (archiver.stats().messages + archiver.stats().duplicates < count) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await archiver.stop(); // seals the open file, writes the manifest
  const seconds = (performance.now() - started) / 1000;
  const cpuUs = cpuPerMessage(cpu, count);
  await bus.close();
  return { rate: count / seconds, cpuUs, stats: archiver.stats() };
}

async function archiveBytes(root: string): Promise<{ compressed: number; files: number }> {
  let compressed = 0;
  let files = 0;
  for (const date of await readdir(join(root, "kalshi"))) {
    for (const name of await readdir(join(root, "kalshi", date))) {
      if (!name.endsWith(".jsonl.gz")) continue;
      compressed += (await stat(join(root, "kalshi", date, name))).size;
      files++;
    }
  }
  return { compressed, files };
}

/** The archive's lines (decompressed, in file order). */
async function archiveText(root: string): Promise<Buffer> {
  const lines: Buffer[] = [];
  for (const date of await readdir(join(root, "kalshi"))) {
    for (const name of (await readdir(join(root, "kalshi", date))).sort()) {
      if (name.endsWith(".jsonl.gz"))
        lines.push(gunzipSync(await readFile(join(root, "kalshi", date, name))));
    }
  }
  return Buffer.concat(lines);
}

/** The same archive lines (run 0, decompressed) at other gzip settings: what the format can reach. */
async function archiveAtLevels(root: string, messages: number): Promise<Record<string, number>> {
  const text = await archiveText(root);
  const per = (options: ZlibOptions) => Number((gzipSync(text, options).length / messages).toFixed(1));
  return {
    level6: per({ level: 6 }),
    level9: per({ level: 9 }),
    level9MemLevel9: per({ level: 9, memLevel: 9 }),
  };
}

function framesOnlyFloor(frames: Frame[]): { level6: number; level9: number } {
  const text = Buffer.concat(frames.flatMap((frame) => [frame.data, NEWLINE]));
  const per = (level: number) => Number((gzipSync(text, { level }).length / frames.length).toFixed(1));
  return { level6: per(6), level9: per(9) };
}

const NEWLINE = new Uint8Array([0x0a]);

async function main(): Promise<void> {
  const frames = simulatorFrames(N);
  const rawBytes = frames.reduce((sum, frame) => sum + frame.data.byteLength, 0);
  const server = await startNatsServer();
  const dir = await tempDir("ssmd-bench-archiver-");
  try {
    const stored = await prefill(server.url, "BENCH", frames);
    if (stored !== N) throw new Error(`stream holds ${stored} of ${N} messages`);
    // The machine is shared: alternate baseline and archiver runs on the same stream (separate
    // durable consumers) and keep the best of each, so a load spike does not decide the ratio.
    const baselineRuns: Awaited<ReturnType<typeof baseline>>[] = [];
    const runs: Awaited<ReturnType<typeof archive>>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselineRuns.push(await baseline(server.url, "BENCH", N, `baseline-${round}`));
      runs.push(await archive(server.url, "BENCH", join(dir.path, `run-${round}`), N, `archiver-${round}`));
    }
    const ceiling = await consumeOnly(server.url, "BENCH", N, "consume-only");
    const baselineRate = Math.max(...baselineRuns.map((b) => b.rate));
    const baselineCpuUs = Math.min(...baselineRuns.map((b) => b.cpuUs));
    const archiverCpuUs = Math.min(...runs.map((r) => r.cpuUs));
    const run = runs.reduce((best, next) => (next.rate > best.rate ? next : best));
    const bytes = await archiveBytes(join(dir.path, "run-0"));
    const bytesPerMessage = bytes.compressed / run.stats.messages;
    const ratio = run.rate / baselineRate;
    const pass = {
      msgsPerSecond: run.rate >= TARGETS.msgsPerSecond,
      ratioToBaseline: ratio >= TARGETS.ratioToBaseline,
      bytesPerMessage: bytesPerMessage <= TARGETS.bytesPerMessage,
    };
    const result = {
      bench: "archiver-throughput",
      data: "simulator traffic (World+Generator, 200 markets, current wire format), generated in-process",
      messages: N,
      frameBytesAvg: Math.round(rawBytes / N),
      archiver: {
        msgsPerSecond: Math.round(run.rate),
        mbPerSecond: Number(((rawBytes / 1e6) * (run.rate / N)).toFixed(1)),
        archived: run.stats.messages,
        duplicatesDropped: run.stats.duplicates,
        filesSealed: bytes.files,
        bytesPerMessage: Number(bytesPerMessage.toFixed(1)),
        // CPU of this process per message (less sensitive to a loaded machine than the rate)
        cpuMicrosPerMessage: Number(archiverCpuUs.toFixed(1)),
      },
      // The archive's own lines recompressed in one piece at other levels (same zcat-able format).
      archiveLinesGzipBytesPerMessage: await archiveAtLevels(join(dir.path, "run-0"), run.stats.messages),
      // What gzip can do on the frames alone (no rt/seq/subject), level 6 and 9: the format's floor.
      framesOnlyGzipBytesPerMessage: framesOnlyFloor(frames),
      baselinePlainNatsJsConsumeAckGzip: {
        msgsPerSecond: Math.round(baselineRate),
        cpuMicrosPerMessage: Number(baselineCpuUs.toFixed(1)),
      },
      // Not targets: what this machine allows. Delivery alone (nats.js with the archiver's ack
      // bursts, no work) and gzip alone (one thread, the archiver's level) per message; with
      // nats-server on the same cores, the archiver's rate is bounded well below the first.
      ceilingOnThisMachine: {
        cpus: cpus().length,
        natsJsConsumeBurstAcksNoWork: {
          msgsPerSecond: Math.round(ceiling.rate),
          cpuMicrosPerMessage: Number(ceiling.cpuUs.toFixed(1)),
        },
        gzipLevel6MicrosPerMessage: Number(
          (await gzipCost(join(dir.path, "run-0"), run.stats.messages)).toFixed(1),
        ),
      },
      loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
      ratioToBaseline: Number(ratio.toFixed(3)),
      targets: TARGETS,
      pass,
      ok: Object.values(pass).every(Boolean),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.cleanup();
    await dir.cleanup();
  }
}

await main();
