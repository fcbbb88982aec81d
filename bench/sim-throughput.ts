/**
 * Simulator throughput to one client: market-data frames/s a plain `ws` client (in a child
 * process, so it does not share the simulator's thread) receives from `ssmd sim` — world
 * generation, encoding, per-sid seq, corked batched writes with backpressure — subscribed to
 * orderbook_delta + ticker + trade on every market. Baseline, measured in the same run with the
 * same client: a bare `ws` server sending one pre-encoded frame in a loop (the transport ceiling).
 * Also reports frames per CPU-second of the server process (meaningful on a loaded machine).
 * Target: ≥ 100k msgs/s to one client. Prints one JSON object.
 * Run: node --import tsx bench/sim-throughput.ts
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";
import { startSimulator } from "../src/components/sim/index.js";
import { authHeaders, loadPrivateKey } from "../src/core/kalshi/sign.js";

const WARMUP_MS = 1_000;
const MEASURE_MS = 4_000;
const TARGET_MSGS_PER_S = 100_000;
const SIM_RATE = 300_000;
const MARKETS = 200;

/** The client: connects, optionally subscribes, counts frames in the window, prints JSON. */
const CLIENT = `
import WebSocket from "ws";
const { url, headers, subscribe, warmupMs, measureMs } = JSON.parse(process.argv[1]);
const ws = new WebSocket(url, { headers, perMessageDeflate: false });
let counting = false, frames = 0, bytes = 0, errors = 0, sample = "";
ws.on("message", (data) => {
  if (!sample && data.includes('"type":"orderbook_delta"')) sample = data.toString();
  if (data.includes('"type":"error"')) errors++;
  if (counting) { frames++; bytes += data.length; }
});
ws.on("open", () => {
  if (subscribe) ws.send(JSON.stringify(subscribe));
  setTimeout(() => {
    counting = true;
    const started = performance.now();
    setTimeout(() => {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(JSON.stringify({ perSecond: frames / seconds, bytesPerSecond: bytes / seconds, errors, sample }));
      ws.terminate();
      process.exit(0);
    }, measureMs);
  }, warmupMs);
});
`;

interface ClientResult {
  perSecond: number;
  bytesPerSecond: number;
  errors: number;
  sample: string;
  serverCpuMs: number;
}

function runClient(url: string, headers: Record<string, string>, subscribe: unknown): Promise<ClientResult> {
  const args = JSON.stringify({ url, headers, subscribe, warmupMs: WARMUP_MS, measureMs: MEASURE_MS });
  const child = spawn(process.execPath, ["--input-type=module", "-e", CLIENT, args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let text = "";
  child.stdout.on("data", (chunk) => {
    text += chunk;
  });
  let cpuStart: NodeJS.CpuUsage | undefined;
  const timer = setTimeout(() => {
    cpuStart = process.cpuUsage();
  }, WARMUP_MS + 300);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      const cpu = cpuStart ? process.cpuUsage(cpuStart) : { user: 0, system: 0 };
      if (code !== 0) return reject(new Error(`client exited ${code}`));
      resolve({
        ...(JSON.parse(text) as Omit<ClientResult, "serverCpuMs">),
        serverCpuMs: (cpu.user + cpu.system) / 1000,
      });
    });
  });
}

async function baseline(frame: string): Promise<ClientResult> {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws) => {
    const pump = () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      for (let i = 0; i < 1000 && ws.bufferedAmount < 1 << 20; i++) ws.send(frame);
      setImmediate(pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await runClient(`ws://127.0.0.1:${port}/`, {}, undefined);
  } finally {
    wss.close();
    server.closeAllConnections();
    server.close();
  }
}

async function simulator(): Promise<ClientResult> {
  const sim = await startSimulator({
    rate: SIM_RATE,
    markets: MARKETS,
    seed: 1,
    limits: { maxQueuedFrames: 2_000_000 },
  });
  try {
    const headers = authHeaders(
      sim.apiKeyId,
      loadPrivateKey(sim.privateKeyPem),
      Date.now(),
      "GET",
      "/trade-api/ws/v2",
    );
    const params = { channels: ["orderbook_delta", "ticker", "trade"], market_tickers: sim.marketTickers() };
    return await runClient(sim.wsUrl, headers, { id: 1, cmd: "subscribe", params });
  } finally {
    await sim.stop();
  }
}

const perCpuSecond = (result: ClientResult) =>
  result.serverCpuMs > 0 ? Math.round((result.perSecond * (MEASURE_MS - 300)) / result.serverCpuMs) : null;

const sim = await simulator();
const bare = await baseline(sim.sample || '{"type":"orderbook_delta","sid":1,"seq":1,"msg":{}}');
const output = {
  name: "sim-throughput",
  unit: "msgs/s to one client",
  sim_msgs_per_s: Math.round(sim.perSecond),
  sim_mb_per_s: Math.round(sim.bytesPerSecond / 1e5) / 10,
  sim_msgs_per_server_cpu_s: perCpuSecond(sim),
  sim_error_frames: sim.errors,
  baseline_bare_ws_msgs_per_s: Math.round(bare.perSecond),
  baseline_msgs_per_server_cpu_s: perCpuSecond(bare),
  sim_vs_baseline: Math.round((sim.perSecond / bare.perSecond) * 100) / 100,
  config: { markets: MARKETS, generator_rate: SIM_RATE, warmup_ms: WARMUP_MS, measure_ms: MEASURE_MS },
  targets: { min_msgs_per_s: TARGET_MSGS_PER_S },
  pass: { min_msgs_per_s: sim.perSecond >= TARGET_MSGS_PER_S && sim.errors === 0 },
};
process.stdout.write(`${JSON.stringify(output)}\n`);
