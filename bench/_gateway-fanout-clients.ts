/**
 * Client side of bench/gateway-fanout.ts, in its own process: N WebSocket clients, each on 10
 * markets. The clients are minimal on purpose (HTTP upgrade + a frame-header walker, no
 * per-message objects) so the benchmark measures the server, not the client library. Counts
 * text frames and, for frames carrying a `lat-<µs>` trade id (the publish time), the delivery
 * latency. IPC with the parent: reset → zero counters; report → figures (and this process's own
 * CPU time, so the parent can show the clients are not the bottleneck); exit.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Duplex } from "node:stream";

const [url, clientCount, marketList, perClient, firstIndex] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const markets = marketList.split(",");
const MAX_SAMPLES = 400_000;
let received = 0;
let samples: number[] = [];
let since = performance.now();
let cpuSince = process.cpuUsage();
/** This process's own event-loop delay: how late it may see a frame that already arrived. */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const epochUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

function latencyIn(buffer: Buffer, start: number, end: number): void {
  const at = buffer.indexOf("lat-", start);
  if (at < 0 || at >= end) return;
  let us = 0;
  for (let i = at + 4; i < end; i++) {
    const digit = buffer[i]! - 48;
    if (digit < 0 || digit > 9) break;
    us = us * 10 + digit;
  }
  samples.push(epochUs() - us);
}

/** Walks frame headers; text frames are counted, pings answered (masked pong, zero key). */
function attach(socket: Duplex, head: Buffer): void {
  let pending: Buffer | undefined;
  const onData = (chunk: Buffer) => {
    const buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      if (buffer.length - offset < 2) break;
      const opcode = buffer[offset]! & 0x0f;
      let length = buffer[offset + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (buffer.length - offset < 4) break;
        length = buffer.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (buffer.length - offset < 10) break;
        length = buffer.readUInt32BE(offset + 6);
        header = 10;
      }
      if (buffer.length - offset < header + length) break;
      const start = offset + header;
      if (opcode === 1) {
        received += 1;
        if (samples.length < MAX_SAMPLES) latencyIn(buffer, start, start + length);
      } else if (opcode === 9 && length < 126) {
        socket.write(
          Buffer.concat([
            Buffer.from([0x8a, 0x80 | length, 0, 0, 0, 0]),
            buffer.subarray(start, start + length),
          ]),
        );
      }
      offset = start + length;
    }
    pending = offset < buffer.length ? buffer.subarray(offset) : undefined;
  };
  socket.on("data", onData);
  socket.on("error", () => undefined);
  if (head.length > 0) onData(head);
}

function open(path: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
      },
    });
    req.on("upgrade", (_res, socket, head) => {
      attach(socket, head);
      resolve(socket);
    });
    req.on("response", (res) => reject(new Error(`HTTP ${res.statusCode}`)));
    req.on("error", reject);
    req.end();
  });
}

const sockets: Duplex[] = [];
const per = Number(perClient);
const first = Number(firstIndex);
for (let i = first; i < first + Number(clientCount); i++) {
  const mine = Array.from({ length: per }, (_, k) => markets[(i * per + k) % markets.length]);
  sockets.push(await open(`/v1/stream?symbols=${mine.join(",")}&channels=trade,orderbook`));
}

/** At most `count` latencies spread evenly over all samples (the parent merges processes). */
function subsample(all: number[], count: number): number[] {
  if (all.length <= count) return all;
  const step = all.length / count;
  return Array.from({ length: count }, (_, i) => all[Math.floor(i * step)]!);
}

process.on("message", (message: { cmd: string }) => {
  if (message.cmd === "reset") {
    received = 0;
    samples = [];
    since = performance.now();
    cpuSince = process.cpuUsage();
    loopDelay.reset();
    process.send?.({ cmd: "reset" });
  } else if (message.cmd === "report") {
    const seconds = (performance.now() - since) / 1000;
    const cpu = process.cpuUsage(cpuSince);
    process.send?.({
      cmd: "report",
      received,
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      samples: samples.length,
      sample: subsample(samples, 20_000),
    });
  } else if (message.cmd === "exit") {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});
process.send?.({ cmd: "ready", clients: sockets.length });
