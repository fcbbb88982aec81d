/**
 * The floor under bench/gateway-fanout.ts's p99: how long one write to each of N loopback TCP
 * sockets takes on this machine (plain node:net, nothing else running in the writing process).
 * A gateway round that hands every subscribed client its messages cannot be faster than this,
 * so when it approaches the latency target, that target is out of reach for N clients here.
 * The reading side is a forked process (this file with "client") that discards what it gets.
 */
import { fork } from "node:child_process";
import { once } from "node:events";
import { connect, createServer, type Socket } from "node:net";

export interface WriteFloorStep {
  bytesPerWrite: number;
  /** One write to every socket: median and 90th percentile over the rounds (ms). */
  roundMedianMs: number;
  roundP90Ms: number;
  usPerWrite: number;
}

const ROUNDS = 60;
const PAUSE_MS = 5;

export async function socketWriteFloor(clients: number, sizes: number[]): Promise<WriteFloorStep[]> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  const reader = fork(new URL(import.meta.url).pathname, ["client", String(port), String(clients)], {
    execArgv: ["--import", "tsx"],
  });
  await once(reader, "message");
  while (sockets.length < clients) await pause(10);
  try {
    const steps: WriteFloorStep[] = [];
    for (const size of sizes) steps.push(await measure(sockets, Buffer.alloc(size, 0x61)));
    return steps;
  } finally {
    reader.kill();
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

async function measure(sockets: Socket[], chunk: Buffer): Promise<WriteFloorStep> {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    for (const socket of sockets) socket.write(chunk);
    rounds.push(performance.now() - started);
    await pause(PAUSE_MS);
  }
  rounds.sort((a, b) => a - b);
  const median = rounds[Math.floor(ROUNDS / 2)]!;
  return {
    bytesPerWrite: chunk.length,
    roundMedianMs: round2(median),
    roundP90Ms: round2(rounds[Math.floor(ROUNDS * 0.9)]!),
    usPerWrite: round2((median * 1000) / sockets.length),
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function runReader(port: number, count: number): void {
  let open = 0;
  for (let i = 0; i < count; i++) {
    const socket = connect(port, "127.0.0.1");
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.once("connect", () => {
      if (++open === count) process.send?.("ready");
    });
  }
}

if (process.argv[2] === "client") runReader(Number(process.argv[3]), Number(process.argv[4]));
