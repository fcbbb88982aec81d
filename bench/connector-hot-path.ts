/**
 * The connector's hot path without the WebSocket and without the simulator: captured-shape
 * frames (ticker, trade, orderbook_delta over 100 markets) handed straight to the FrameHandler →
 * Publisher → NATS bus → JetStream (file storage) on a private nats-server. Isolates what the
 * connector process itself costs per frame, which bench/connector-throughput.ts cannot show when
 * the simulator competes for the same cores.
 *   figure:   frames acked per second, process CPU µs per frame.
 *   baseline: the same frames published with plain nats.js `js.publish` (same subjects, msg ids
 *             and headers, same in-flight window), in the same run.
 * Targets: ≥ 50,000 frames/s with none lost, ≥ 0.8 × baseline.
 * Prints one JSON object. Run: node --import tsx bench/connector-hot-path.ts
 */
import { connect, headers as natsHeaders } from "nats";
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../src/adapters/log.js";
import { createConnectorPublisher } from "../src/components/connector/connector-publisher.js";
import { FrameHandler, type FrameSource } from "../src/components/connector/frame-handler.js";
import { ConnectorMetrics } from "../src/components/connector/metrics.js";
import { systemClock } from "../src/components/connector/ports.js";
import { DEFAULT_PUBLISHER_OPTIONS } from "../src/components/connector/publisher-types.js";
import { RecentIds } from "../src/components/connector/recent-ids.js";
import { StatusRecords } from "../src/components/connector/status-records.js";
import { SeqTracker } from "../src/core/seq-tracker.js";
import { startNatsServer } from "../test/helpers/nats-server.js";

const FRAMES = 200_000;
const BATCH = 200;
const WINDOW = DEFAULT_PUBLISHER_OPTIONS.maxInFlight;
const TARGETS = { framesPerSecond: 50_000, ratioToBaseline: 0.8 };

function frameText(i: number): string {
  const market = `KXBENCH-26FEB12-M${i % 100}`;
  if (i % 4 === 0) {
    return `{"type":"ticker","sid":1,"msg":{"market_id":"b33c71f7-6394-4f3c-a2ea-a0f893472bc4","market_ticker":"${market}","price":41,"yes_bid":37,"yes_ask":42,"price_dollars":"0.4100","yes_bid_dollars":"0.3700","yes_ask_dollars":"0.4200","volume":108588,"volume_fp":"108588.00","open_interest":43484,"ts":1770897976}}`;
  }
  if (i % 4 === 1) {
    return `{"type":"trade","sid":2,"msg":{"trade_id":"t-${i}","market_ticker":"${market}","yes_price":41,"no_price":59,"yes_price_dollars":"0.4100","no_price_dollars":"0.5900","count":23,"count_fp":"23.00","taker_side":"yes","ts":1770897976}}`;
  }
  return `{"type":"orderbook_delta","sid":3,"seq":${i},"msg":{"market_ticker":"${market}","market_id":"b33c71f7-6394-4f3c-a2ea-a0f893472bc4","price":41,"price_dollars":"0.4100","delta":-23,"delta_fp":"-23.00","side":"yes","ts":"2026-02-12T12:06:16.123Z"}}`;
}

/** Feeds every frame to the handler (BATCH per macrotask, like socket reads) and waits for the acks. */
async function runConnectorPath(natsUrl: string, frames: Buffer[]) {
  const prefix = "hot.kalshi";
  const bus = await connectNatsBus({ url: natsUrl, name: "bench-hot-path", logger: silentLogger });
  await bus.ensureStream({ name: "HOT_PATH", subjects: [`${prefix}.>`], storage: "file" });
  const metrics = new ConnectorMetrics("bench", {
    lagSeconds: () => 0,
    lastMessageAgeSeconds: () => 0,
    inFlight: () => 0,
    buffered: () => 0,
    connectedShards: () => 1,
    marketsSubscribed: () => 100,
  });
  const records = new StatusRecords(prefix, "bench", "hot");
  const context = { metrics, records, clock: systemClock, logger: silentLogger, conn: "hot-publisher" };
  const publisher = createConnectorPublisher(bus, DEFAULT_PUBLISHER_OPTIONS, context);
  const handler = new FrameHandler(prefix, publisher, records, metrics, new RecentIds(10_000), silentLogger);
  const source: FrameSource = {
    conn: "hot-0-1",
    frames: 0,
    tracker: new SeqTracker(),
    onSeqBreak: () => {},
    onLifecycle: () => {},
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  await new Promise<void>((resolve) => {
    const feed = () => {
      if (publisher.buffered > 20_000) return void setImmediate(feed);
      for (let k = 0; k < BATCH && next < frames.length; k += 1, next += 1) {
        handler.handle(source, frames[next]!, systemClock.nowUs());
      }
      if (next < frames.length) setImmediate(feed);
      else resolve();
    };
    feed();
  });
  const flushed = await publisher.flush(60_000);
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  const stored = (await bus.streamInfo("HOT_PATH"))?.messages ?? 0;
  await bus.close();
  return {
    perSecond: metrics.counts.published / seconds,
    cpuUs: (used.user + used.system) / frames.length,
    published: metrics.counts.published,
    stored,
    lost: metrics.counts.lost,
    flushed,
  };
}

/** Plain nats.js: the same frames, subjects, msg ids and headers with js.publish, WINDOW in flight. */
async function runBaseline(natsUrl: string, frames: Buffer[]) {
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: "HOT_BASELINE", subjects: ["base.>"] });
  const js = nc.jetstream();
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  const worker = async () => {
    while (next < frames.length) {
      const i = next++;
      const hdrs = natsHeaders();
      hdrs.set("Ssmd-Recv-Us", String(systemClock.nowUs()));
      hdrs.set("Ssmd-Conn", "base-0-1");
      const channel = i % 4 === 0 ? "ticker" : i % 4 === 1 ? "trade" : "orderbook";
      const msgID = i % 4 === 1 ? `t-${i}` : i % 4 === 0 ? `n:base-0-1:${i}` : `s:base-0-1:3:${i}`;
      await js.publish(`base.json.${channel}.KXBENCH-26FEB12-M${i % 100}`, frames[i]!, {
        msgID,
        headers: hdrs,
      });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, worker));
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  await nc.close();
  return { perSecond: frames.length / seconds, cpuUs: (used.user + used.system) / frames.length };
}

const frames = Array.from({ length: FRAMES }, (_, i) => Buffer.from(frameText(i)));
const nats = await startNatsServer();
try {
  const connector = await runConnectorPath(nats.url, frames);
  const baseline = await runBaseline(nats.url, frames);
  const noLoss = connector.lost === 0 && connector.flushed && connector.stored === FRAMES;
  const ratio = connector.perSecond / baseline.perSecond;
  const result = {
    benchmark: "connector-hot-path",
    frames: FRAMES,
    in_flight_window: WINDOW,
    connector: {
      frames_per_second: Math.round(connector.perSecond),
      process_cpu_us_per_frame: Math.round(connector.cpuUs * 10) / 10,
      published: connector.published,
      stored: connector.stored,
      no_loss: noLoss,
    },
    baseline_plain_natsjs: {
      frames_per_second: Math.round(baseline.perSecond),
      process_cpu_us_per_frame: Math.round(baseline.cpuUs * 10) / 10,
    },
    ratio_to_baseline: Math.round(ratio * 100) / 100,
    targets: TARGETS,
    pass: {
      frames_per_second: connector.perSecond >= TARGETS.framesPerSecond && noLoss,
      ratio_to_baseline: ratio >= TARGETS.ratioToBaseline,
    },
    note: "no WebSocket and no simulator: the connector process's own cost per frame; nats-server shares the machine",
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await nats.cleanup();
}
