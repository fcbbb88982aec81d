/**
 * Bus adapter throughput: publish (JetStream ack awaited, in-flight window) and durable
 * consume + ack, through the Bus port, beside plain nats.js doing the same work on the same
 * private nats-server in the same run; plus the in-process bus.
 *   publish: N messages of ~200 bytes, window of W outstanding publishes, msgId + 1 header.
 *   consume: a durable pull consumer reads and acks all N messages.
 * Targets: NATS adapter ≥ 0.8 × plain nats.js for publish and for consume (best of 2 rounds,
 * alternating order); in-process bus ≥ 50,000 msgs/s publish and consume (the connector's target).
 * Prints one JSON object. Run: node --import tsx bench/bus-throughput.ts
 */
import { AckPolicy, connect, headers as natsHeaders } from "nats";
import { createMemoryBus } from "../src/adapters/bus/memory-bus.js";
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import type { Bus } from "../src/adapters/bus/types.js";
import { silentLogger } from "../src/adapters/log.js";
import { startNatsServer } from "../test/helpers/nats-server.js";

const N = 20_000;
const MEMORY_N = 100_000;
const WINDOW = 1000;
const ROUNDS = 2;
/** The in-process bus must never be the demo pipeline's bottleneck: at least the connector's 50k msgs/s target. */
const TARGETS = { ratioToBaseline: 0.8, memoryMsgsPerSecond: 50_000 };
const PAYLOAD = new TextEncoder().encode(
  JSON.stringify({
    type: "trade",
    sid: 1,
    seq: 1,
    msg: {
      market_ticker: "KXBTCD-26FEB1217-T67749.99",
      yes_price_dollars: "0.5600",
      count_fp: "10.00",
      taker_side: "yes",
      ts: 1765670400,
    },
  }),
);

/** Runs `count` async operations with at most `window` outstanding; returns msgs/s. */
async function windowed(count: number, window: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await op(next++);
  };
  await Promise.all(Array.from({ length: window }, worker));
  return count / ((performance.now() - started) / 1000);
}

async function busPublish(bus: Bus, stream: string, count: number): Promise<number> {
  await bus.ensureStream({ name: stream, subjects: [`${stream.toLowerCase()}.>`], storage: "file" });
  return windowed(count, WINDOW, (i) =>
    bus.publish(`${stream.toLowerCase()}.json.trade.T${i % 100}`, PAYLOAD, {
      msgId: `m${i}`,
      headers: { "Ssmd-Recv-Us": "1765670400000000" },
    }),
  );
}

async function busConsume(bus: Bus, stream: string, count: number): Promise<number> {
  const started = performance.now();
  const messages = await bus.consume({ stream, durable: "bench", maxAckPending: 20_000, batch: 1000 });
  let seen = 0;
  for await (const message of messages) {
    message.ack();
    if (++seen === count) break;
  }
  await messages.close();
  return count / ((performance.now() - started) / 1000);
}

async function rawNats(url: string, stream: string, count: number) {
  const nc = await connect({ servers: url });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
  const js = nc.jetstream();
  const publish = await windowed(count, WINDOW, (i) => {
    const h = natsHeaders();
    h.set("Ssmd-Recv-Us", "1765670400000000");
    return js.publish(`${stream.toLowerCase()}.json.trade.T${i % 100}`, PAYLOAD, {
      msgID: `m${i}`,
      headers: h,
    });
  });
  await jsm.consumers.add(stream, {
    durable_name: "bench",
    ack_policy: AckPolicy.Explicit,
    max_ack_pending: 20_000,
  });
  const started = performance.now();
  const consumer = await js.consumers.get(stream, "bench");
  const messages = await consumer.consume({ max_messages: 1000 });
  let seen = 0;
  for await (const message of messages) {
    message.ack();
    if (++seen === count) break;
  }
  const consume = count / ((performance.now() - started) / 1000);
  // Breaking out of the loop already stopped the iterator; nats.js close() after that never settles.
  messages.stop();
  await nc.drain();
  return { publish, consume };
}

const log = (text: string) => process.stderr.write(`${text}\n`);
const round = (value: number) => Math.round(value);

async function adapterRound(url: string, stream: string) {
  const bus = await connectNatsBus({ url, name: "bench", logger: silentLogger });
  const publish = await busPublish(bus, stream, N);
  const consume = await busConsume(bus, stream, N);
  await bus.close();
  return { publish, consume };
}

/** Best of ROUNDS, alternating which side goes first (the machine is shared and noisy). */
async function compareNats(url: string) {
  const best = { adapter: { publish: 0, consume: 0 }, baseline: { publish: 0, consume: 0 } };
  const keep = (into: { publish: number; consume: number }, got: { publish: number; consume: number }) => {
    into.publish = Math.max(into.publish, got.publish);
    into.consume = Math.max(into.consume, got.consume);
  };
  for (let round = 0; round < ROUNDS; round++) {
    const adapterFirst = round % 2 === 1;
    if (adapterFirst) keep(best.adapter, await adapterRound(url, `ADAPTER${round}`));
    keep(best.baseline, await rawNats(url, `RAW${round}`, N));
    if (!adapterFirst) keep(best.adapter, await adapterRound(url, `ADAPTER${round}`));
    log(`round ${round}: ${JSON.stringify(best)}`);
  }
  return best;
}

async function main(): Promise<void> {
  const server = await startNatsServer();
  try {
    const { adapter, baseline } = await compareNats(server.url);
    const memory = createMemoryBus();
    const memoryPublish = await busPublish(memory, "MEM", MEMORY_N);
    const memoryConsume = await busConsume(memory, "MEM", MEMORY_N);
    await memory.close();
    const ratios = {
      publish: adapter.publish / baseline.publish,
      consume: adapter.consume / baseline.consume,
    };
    const pass = {
      natsPublish: ratios.publish >= TARGETS.ratioToBaseline,
      natsConsume: ratios.consume >= TARGETS.ratioToBaseline,
      memoryPublish: memoryPublish >= TARGETS.memoryMsgsPerSecond,
      memoryConsume: memoryConsume >= TARGETS.memoryMsgsPerSecond,
    };
    const result = {
      bench: "bus-throughput",
      messages: {
        nats: N,
        memory: MEMORY_N,
        payloadBytes: PAYLOAD.byteLength,
        window: WINDOW,
        rounds: ROUNDS,
      },
      natsAdapter: {
        publishMsgsPerSecond: round(adapter.publish),
        consumeMsgsPerSecond: round(adapter.consume),
      },
      baselinePlainNatsJs: {
        publishMsgsPerSecond: round(baseline.publish),
        consumeMsgsPerSecond: round(baseline.consume),
      },
      ratioToBaseline: {
        publish: Number(ratios.publish.toFixed(3)),
        consume: Number(ratios.consume.toFixed(3)),
      },
      memoryBus: { publishMsgsPerSecond: round(memoryPublish), consumeMsgsPerSecond: round(memoryConsume) },
      targets: TARGETS,
      pass,
      ok: Object.values(pass).every(Boolean),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.cleanup();
  }
}

await main();
