/**
 * Gateway fan-out: 1,000 WebSocket clients on loopback (one or two child processes), each subscribed to
 * 10 of 200 markets (50 subscribers per market), fed through a private nats-server at increasing
 * frame rates (half trades, half order-book deltas). Per rate: messages/s delivered to the
 * clients and delivery latency p50/p99 from the moment the frame was handed to NATS (trade ids
 * carry the publish time) to its arrival at a client.
 *   gateway:  the real gateway in its own process (_gateway-fanout-server.ts gateway)
 *   baseline: a bare `ws` broadcast of the same bytes, same consumer (… baseline)
 * Targets: ≥ 500,000 messages/s delivered per process; p99 < 10 ms at 10,000 frames/s in.
 * Prints one JSON object. Run: node --import tsx bench/gateway-fanout.ts
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import type { Bus } from "../src/adapters/bus/types.js";
import { silentLogger } from "../src/adapters/log.js";
import { HEADER_RECV_US } from "../src/core/record.js";
import { startNatsServer } from "../test/helpers/nats-server.js";
import { coreShare, cpuSecondsOf, natsServerPid, ownCpuSeconds } from "./_gateway-fanout-cpu.js";
import { natsFloor } from "./_gateway-fanout-nats-floor.js";
import { socketWriteFloor } from "./_socket-write-floor.js";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const MARKETS = 200;
const PER_CLIENT = 10;
/** Client processes (the clients must not be what limits the measurement). */
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? (cpus().length >= 4 ? 2 : 1));
const RATES = (process.env.BENCH_RATES ?? "2000,5000,10000,20000").split(",").map(Number);
const WARMUP_MS = 1_000;
const MEASURE_MS = 3_000;
const TARGETS = { deliveredPerSecond: 500_000, p99MsAt10k: 10 };
const STREAM = "BENCH_GATEWAY";
const PREFIX = "bench.kalshi";
const markets = Array.from({ length: MARKETS }, (_, i) => `KXBENCH-26NOV21-T${1000 + i}`);
const encoder = new TextEncoder();
const progress = (text: string) => process.stderr.write(`gateway-fanout: ${text}\n`);
const epochUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

interface Step {
  rateIn: number;
  achievedIn: number;
  expectedPerSecond: number;
  deliveredPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Cores used while measuring (1 = one full core): server, all clients, nats-server, publisher. */
  cpu: Record<"server" | "clients" | "nats" | "publisher", number | null>;
  /** Server CPU per delivered message (µs): what fan-out costs, less sensitive to machine load. */
  serverCpuUsPerMessage: number | null;
  /** Worst client process's event-loop delay p99 (ms): lateness the clients themselves add. */
  clientLoopDelayP99Ms: number;
}

function frame(n: number, ticker: string): string {
  if (n % 2 === 0) {
    return `{"type":"trade","sid":2,"msg":{"trade_id":"lat-${epochUs()}","market_ticker":"${ticker}","yes_price_dollars":"0.5100","no_price_dollars":"0.4900","count_fp":"1.00","taker_side":"yes","ts_ms":${Date.now()}}}`;
  }
  const delta = n % 4 === 1 ? "1.00" : "-1.00";
  return `{"type":"orderbook_delta","sid":1,"seq":${n},"msg":{"market_ticker":"${ticker}","price_dollars":"0.4${n % 10}00","delta_fp":"${delta}","side":"yes","ts_ms":${Date.now()}}}`;
}

function publish(bus: Bus, channel: string, ticker: string, text: string): Promise<unknown> {
  const headers = { [HEADER_RECV_US]: String(epochUs()) };
  return bus.publish(`${PREFIX}.json.${channel}.${ticker}`, encoder.encode(text), { headers });
}

/** Publishes at `rate` frames/s for `ms`; returns the rate achieved. */
async function feed(bus: Bus, rate: number, ms: number, counter: { n: number }): Promise<number> {
  const start = performance.now();
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    while (sent < due && inFlight.size < 20_000) {
      const n = counter.n++;
      const ticker = markets[n % MARKETS]!;
      const p = publish(bus, n % 2 === 0 ? "trade" : "orderbook", ticker, frame(n, ticker)).finally(() =>
        inFlight.delete(p),
      );
      inFlight.add(p);
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  return sent / ((performance.now() - start) / 1000);
}

interface Report {
  cmd: string;
  received: number;
  seconds: number;
  cpuSeconds: number;
  loopDelayP99Ms: number;
  /** Latencies in µs (a subsample). */
  sample: number[];
}

function ask(child: ChildProcess, cmd: string): Promise<Report> {
  const reply = new Promise<Report>((resolve) => {
    const onMessage = (message: Report) => {
      if (message.cmd !== cmd) return;
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
  });
  child.send({ cmd });
  return reply;
}

async function runMode(
  mode: "gateway" | "baseline",
  natsUrl: string,
  natsPid: number | undefined,
  bus: Bus,
  counter: { n: number },
): Promise<Step[]> {
  const profile = process.env.BENCH_PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
    : [];
  const server = spawn(
    process.execPath,
    [
      ...profile,
      "--import",
      "tsx",
      new URL("./_gateway-fanout-server.ts", import.meta.url).pathname,
      mode,
      natsUrl,
      STREAM,
      PREFIX,
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const [line] = (await once(server.stdout!, "data")) as [Buffer];
  const { url } = JSON.parse(line.toString()) as { url: string };
  progress(`${mode} listening at ${url}`);
  // The gateway needs the markets (and their books) before clients can subscribe.
  for (const ticker of markets) {
    const snapshot = `{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"${ticker}","yes_dollars_fp":[["0.4000","100.00"],["0.4500","50.00"]],"no_dollars_fp":[["0.5000","80.00"]]}}`;
    await publish(bus, "orderbook", ticker, snapshot);
  }
  if (mode === "gateway") {
    for (let i = 0; i < 200; i++) {
      const body = (await (await fetch(`${url}/v1/markets?limit=1`)).json()) as { count: number };
      if (body.count >= MARKETS) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const perProcess = Math.ceil(CLIENTS / CLIENT_PROCESSES);
  const clients = Array.from({ length: CLIENT_PROCESSES }, (_, index) =>
    fork(
      new URL("./_gateway-fanout-clients.ts", import.meta.url).pathname,
      [url, String(perProcess), markets.join(","), String(PER_CLIENT), String(index * perProcess)],
      { execArgv: [...profile, "--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] },
    ),
  );
  await Promise.all(
    clients.map((child) => new Promise<void>((resolve) => child.once("message", () => resolve()))),
  );
  progress(`${perProcess * CLIENT_PROCESSES} clients connected (${CLIENT_PROCESSES} processes)`);
  const steps: Step[] = [];
  for (const rate of RATES) {
    const warm = feed(bus, rate, WARMUP_MS + MEASURE_MS, counter);
    await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
    await Promise.all(clients.map((child) => ask(child, "reset")));
    const cpuBefore = [cpuSecondsOf(server.pid), cpuSecondsOf(natsPid), ownCpuSeconds()] as const;
    const achieved = await warm;
    // Counted up to the end of the feed: what was delivered while frames came in at this rate.
    const reports = await Promise.all(clients.map((child) => ask(child, "report")));
    const cpuAfter = [cpuSecondsOf(server.pid), cpuSecondsOf(natsPid), ownCpuSeconds()] as const;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const received = reports.reduce((sum, r) => sum + r.received, 0);
    const seconds = Math.max(...reports.map((r) => r.seconds));
    const latencies = reports.flatMap((r) => r.sample).sort((a, b) => a - b);
    const cpu = {
      server: coreShare(cpuBefore[0], cpuAfter[0], seconds),
      clients: round(reports.reduce((sum, r) => sum + r.cpuSeconds, 0) / seconds),
      nats: coreShare(cpuBefore[1], cpuAfter[1], seconds),
      publisher: coreShare(cpuBefore[2], cpuAfter[2], seconds),
    };
    progress(
      `${mode} at ${rate} frames/s: received ${received} in ${seconds.toFixed(2)} s, p50 ${percentile(latencies, 50)} µs, p99 ${percentile(latencies, 99)} µs, cores ${JSON.stringify(cpu)}`,
    );
    steps.push({
      rateIn: rate,
      achievedIn: Math.round(achieved),
      expectedPerSecond: Math.round((achieved * (CLIENTS * PER_CLIENT)) / MARKETS),
      deliveredPerSecond: Math.round(received / seconds),
      p50Ms: round(percentile(latencies, 50) / 1000),
      p99Ms: round(percentile(latencies, 99) / 1000),
      cpu,
      serverCpuUsPerMessage: cpu.server === null ? null : round((cpu.server * 1e6 * seconds) / received),
      clientLoopDelayP99Ms: round(Math.max(...reports.map((r) => r.loopDelayP99Ms))),
    });
  }
  for (const child of clients) child.send({ cmd: "exit" });
  await Promise.all(clients.map((child) => once(child, "exit")));
  server.kill(profile.length > 0 ? "SIGINT" : "SIGKILL");
  await once(server, "exit");
  return steps;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const nats = await startNatsServer();
const bus = await connectNatsBus({ url: nats.url, name: "bench-publisher", logger: silentLogger });
await bus.ensureStream({ name: STREAM, subjects: [`${PREFIX}.>`], storage: "memory" });
const counter = { n: 0 };
const natsPid = natsServerPid(nats.port);
const loadBefore = loadavg()[0]!;
try {
  const gateway = await runMode("gateway", nats.url, natsPid, bus, counter);
  // BENCH_GATEWAY_ONLY (profiling): the baseline figures repeat the gateway's.
  const baseline = process.env.BENCH_GATEWAY_ONLY
    ? gateway
    : await runMode("baseline", nats.url, natsPid, bus, counter);
  const floor = process.env.BENCH_GATEWAY_ONLY
    ? []
    : await natsFloor(nats.url, STREAM, RATES, (rate, ms) => feed(bus, rate, ms, counter), {
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
      });
  progress(`nats floor: ${JSON.stringify(floor)}`);
  const writeFloor = process.env.BENCH_GATEWAY_ONLY ? [] : await socketWriteFloor(CLIENTS, [150, 750]);
  progress(`socket write floor: ${JSON.stringify(writeFloor)}`);
  const best = (steps: Step[]) => Math.max(...steps.map((s) => s.deliveredPerSecond));
  // null when BENCH_RATES leaves out 10,000 (then the latency target is not judged).
  const at10k = (steps: Step[]) => steps.find((s) => s.rateIn === 10_000);
  const result = {
    name: "gateway-fanout",
    setup: {
      clientProcesses: CLIENT_PROCESSES,
      clients: CLIENTS,
      markets: MARKETS,
      marketsPerClient: PER_CLIENT,
      subscribersPerMarket: (CLIENTS * PER_CLIENT) / MARKETS,
      cpus: cpus().length,
      loadAverage1mBefore: round(loadBefore),
      loadAverage1mAfter: round(loadavg()[0]!),
      frames: "half trades, half order-book deltas",
    },
    figures: {
      maxDeliveredPerSecond: best(gateway),
      p50MsAt10k: at10k(gateway)?.p50Ms ?? null,
      p99MsAt10k: at10k(gateway)?.p99Ms ?? null,
      steps: gateway,
    },
    baseline: {
      what: "bare ws broadcast of the same frame bytes, same consumer",
      maxDeliveredPerSecond: best(baseline),
      p99MsAt10k: at10k(baseline)?.p99Ms ?? null,
      steps: baseline,
    },
    natsFloor: {
      what: "same frames and rates read by one plain ordered consumer: NATS + machine load, no gateway",
      steps: floor,
    },
    socketWriteFloor: {
      what: `one plain node:net write to each of ${CLIENTS} loopback sockets, nothing else running in the writer: a delivery round to every subscribed client cannot take less`,
      steps: writeFloor,
    },
    targets: TARGETS,
    pass: {
      deliveredPerSecond: best(gateway) >= TARGETS.deliveredPerSecond,
      p99MsAt10k: (at10k(gateway)?.p99Ms ?? Number.POSITIVE_INFINITY) < TARGETS.p99MsAt10k,
    },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await bus.close();
  await nats.cleanup();
}
