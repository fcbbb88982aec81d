/**
 * In-process bus specifics beyond the shared contract: the per-stream memory cap, a fake clock
 * driving retention and redelivery deterministically, and the demo's rate/status helpers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { channelOf } from "../../src/components/demo/channel-tap.js";
import { RateMeter } from "../../src/components/demo/rates.js";
import { timedReader } from "../integration/bus-helpers.js";

const bytes = (text: string) => new TextEncoder().encode(text);

test("every stream is capped at maxBytesPerStream even without limits in its spec", async () => {
  const bus = createMemoryBus({ maxBytesPerStream: 10_000 });
  await bus.ensureStream({ name: "CAP", subjects: ["cap.>"] });
  for (let i = 0; i < 1000; i++) await bus.publish("cap.x", bytes("y".repeat(100)));
  const info = await bus.streamInfo("CAP");
  assert.ok(info!.bytes <= 10_000, `bytes ${info!.bytes}`);
  assert.equal(info!.lastSeq, 1000);
  assert.equal(info!.firstSeq, 1000 - info!.messages + 1);
  await bus.close();
});

test("a fake clock drives age-out and the duplicate window", async () => {
  let now = 1_000_000;
  const bus = createMemoryBus({ now: () => now });
  await bus.ensureStream({ name: "AGE", subjects: ["age.>"], maxAgeMs: 5000, duplicateWindowMs: 2000 });
  await bus.publish("age.x", bytes("1"), { msgId: "a" });
  now += 1000;
  assert.equal((await bus.publish("age.x", bytes("1"), { msgId: "a" })).duplicate, true);
  now += 1500;
  assert.equal((await bus.publish("age.x", bytes("1"), { msgId: "a" })).duplicate, false, "window passed");
  now += 4000;
  const info = await bus.streamInfo("AGE");
  assert.equal(info?.messages, 1, "the first message aged out");
  assert.equal(info?.firstSeq, 2);
  await bus.close();
});

test("redelivery waits for ackWait on the injected clock", async () => {
  let now = 0;
  const bus = createMemoryBus({ now: () => now });
  await bus.ensureStream({ name: "RD", subjects: ["rd.>"] });
  await bus.publish("rd.x", bytes("1"));
  const reader = timedReader(await bus.consume({ stream: "RD", durable: "d", ackWaitMs: 60_000 }));
  const [first] = await reader.take(1);
  assert.equal(first!.deliveryCount, 1);
  assert.equal(await reader.read(100), undefined, "not before ackWait");
  now += 60_000;
  const again = await reader.read(2000);
  assert.equal(again?.deliveryCount, 2);
  await bus.close();
});

test("publishing after close is refused", async () => {
  const bus = createMemoryBus();
  await bus.ensureStream({ name: "C", subjects: ["c.>"] });
  await bus.close();
  assert.equal(bus.isConnected(), false);
  await assert.rejects(bus.publish("c.x", bytes("1")), /closed/);
});

test("demo helpers: channel of a subject and per-second rates", () => {
  assert.equal(channelOf("demo.kalshi.json.trade.T1", "demo.kalshi"), "trade");
  assert.equal(channelOf("demo.kalshi.status.gap", "demo.kalshi"), "status.gap");
  assert.equal(channelOf("other.subject", "demo.kalshi"), "other");
  const meter = new RateMeter();
  assert.deepEqual(meter.sample(0, { trade: 10 }), { trade: 0 });
  assert.deepEqual(meter.sample(2000, { trade: 30, ticker: 4 }), { trade: 10, ticker: 2 });
});

test("firstSeq starts new streams after a given sequence", async () => {
  const bus = createMemoryBus({ firstSeq: 1001 });
  await bus.ensureStream({ name: "FS", subjects: ["fs.>"] });
  assert.equal((await bus.streamInfo("FS"))?.firstSeq, 1001);
  assert.equal((await bus.publish("fs.x", bytes("1"))).seq, 1001);
  const reader = timedReader(await bus.consume({ stream: "FS", durable: "d" }));
  assert.equal((await reader.read(1000))?.seq, 1001);
  assert.equal(await bus.getMessage("FS", 1), undefined);
  await bus.close();
});
