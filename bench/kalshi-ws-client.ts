/**
 * Throughput of KalshiWsClient's receive path (frame classification + fan-out to onFrame)
 * against a bare `ws` client reading the same frames from the same local server in the same run.
 * Also times isReplyFrame alone (frames in Kalshi's key order, `type` first, and in any order)
 * against a JSON.parse of each frame.
 * Prints one JSON object. Run: node --import tsx bench/kalshi-ws-client.ts
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { KalshiWsClient } from "../src/adapters/kalshi/ws-client.js";
import { isReplyFrame } from "../src/adapters/kalshi/ws-frame-kind.js";

const FRAMES_PER_RUN = 300_000;
const TARGET_FRAMES_PER_S = 100_000;
const TARGET_RATIO_VS_RAW = 0.7;
/** Classification must cost at most this fraction of a JSON.parse of the same frames (same run). */
const TARGET_CLASSIFY_VS_PARSE = 0.2;

const REPLY_TYPES = new Set(["subscribed", "unsubscribed", "ok", "error", "list_subscriptions"]);
/** Data frames from the repo's fixtures (captured production frames + PROTOCOL.md examples). */
const samples = ["captured.frames.jsonl", "protocol.frames.jsonl"]
  .flatMap((file) =>
    readFileSync(new URL(`../test/fixtures/kalshi/${file}`, import.meta.url), "utf8").split("\n"),
  )
  .filter((line) => line.startsWith("{"))
  .map((line) => (JSON.parse(line) as { frame: string }).frame)
  .filter((text) => !REPLY_TYPES.has((JSON.parse(text) as { type: string }).type))
  .map((text) => Buffer.from(text));

async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  server.on("connection", (socket) => {
    socket.once("message", () => void blast(socket, FRAMES_PER_RUN));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/trade-api/ws/v2`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Sends `count` frames, pausing while more than 8 MiB are queued. */
async function blast(socket: WebSocket, count: number): Promise<void> {
  for (let sent = 0; sent < count; sent++) {
    socket.send(samples[sent % samples.length]!);
    if (socket.bufferedAmount > 8 * 1024 * 1024) {
      await new Promise<void>((resolve) => {
        const check = () => (socket.bufferedAmount < 1024 * 1024 ? resolve() : setTimeout(check, 1));
        check();
      });
    }
  }
}

async function rawRun(url: string): Promise<number> {
  const socket = new WebSocket(url);
  await new Promise((resolve) => socket.once("open", resolve));
  let received = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    socket.on("message", () => {
      if (++received === FRAMES_PER_RUN) resolve();
    });
    socket.send("go");
  });
  const seconds = (performance.now() - started) / 1000;
  socket.close();
  return FRAMES_PER_RUN / seconds;
}

async function clientRun(url: string): Promise<number> {
  const client = new KalshiWsClient({ url });
  await client.connect();
  let received = 0;
  let bytes = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    client.onFrame((data) => {
      bytes += data.length;
      if (++received === FRAMES_PER_RUN) resolve();
    });
    // A command the bench server ignores; it only starts the stream.
    void client.listSubscriptions().catch(() => undefined);
  });
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  return bytes > 0 ? FRAMES_PER_RUN / seconds : 0;
}

/** Mean ns per call of `fn` over the frames, after a warm-up pass. */
function nsPerFrame(frames: Buffer[], fn: (frame: Buffer) => boolean): number {
  const rounds = 200_000;
  let hits = 0;
  for (let i = 0; i < rounds; i++) if (fn(frames[i % frames.length]!)) hits++;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) if (fn(frames[i % frames.length]!)) hits++;
  const ns = Number(process.hrtime.bigint() - start) / rounds;
  return hits < 0 ? 0 : Math.round(ns);
}

const kalshiOrder = samples.filter((frame) => frame.toString("latin1", 0, 9) === '{"type":"');
const ns = {
  classify: nsPerFrame(kalshiOrder, isReplyFrame),
  classifyAnyOrder: nsPerFrame(samples, isReplyFrame),
  jsonParse: nsPerFrame(samples, (frame) => JSON.parse(frame.toString()) === null),
};

const server = await startServer();
await rawRun(server.url); // warm-up
const raws: number[] = [];
const clients: number[] = [];
for (let round = 0; round < 3; round++) {
  raws.push(await rawRun(server.url));
  clients.push(await clientRun(server.url));
}
await server.close();
const raw = Math.max(...raws);
const client = Math.max(...clients);
const ratio = client / raw;
process.stdout.write(
  `${JSON.stringify({
    name: "kalshi-ws-client",
    frames_per_run: FRAMES_PER_RUN,
    sample_frames: samples.length,
    client_frames_per_s: Math.round(client),
    baseline_raw_ws_frames_per_s: Math.round(raw),
    client_vs_raw_ratio: Number(ratio.toFixed(3)),
    classify_ns_per_frame: ns.classify,
    classify_ns_per_frame_any_key_order: ns.classifyAnyOrder,
    baseline_json_parse_ns_per_frame: ns.jsonParse,
    classify_vs_json_parse_ratio: Number((ns.classify / ns.jsonParse).toFixed(3)),
    targets: {
      client_frames_per_s: TARGET_FRAMES_PER_S,
      client_vs_raw_ratio: TARGET_RATIO_VS_RAW,
      classify_vs_json_parse_ratio: TARGET_CLASSIFY_VS_PARSE,
    },
    pass: {
      client_frames_per_s: client >= TARGET_FRAMES_PER_S,
      client_vs_raw_ratio: ratio >= TARGET_RATIO_VS_RAW,
      classify_vs_json_parse_ratio: ns.classify / ns.jsonParse <= TARGET_CLASSIFY_VS_PARSE,
    },
  })}\n`,
);
