/**
 * The fan-out's flush rounds: each subscriber is flushed once per round however many events it
 * got; a quiet feed is flushed on the next turn of the event loop; after a round that took time,
 * the next waits about as long (at most the configured gap), so events that come meanwhile
 * share one write per client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Fanout, type Subscriber } from "../../src/components/gateway/fanout.js";
import type { QueueItem } from "../../src/components/gateway/ws-frame.js";

class Recorder implements Subscriber {
  flushPending = false;
  queued: QueueItem[] = [];
  /** Sizes of the batches written, one entry per flush. */
  writes: number[] = [];

  constructor(
    private readonly fanout: Fanout,
    private readonly busyMs = 0,
  ) {}

  deliver(item: QueueItem): void {
    this.queued.push(item);
    this.fanout.scheduleFlush(this);
  }

  flush(): void {
    const until = performance.now() + this.busyMs;
    while (performance.now() < until) {
      // a slow socket write
    }
    this.writes.push(this.queued.length);
    this.queued = [];
  }
}

const ALL = new Set(["orderbook", "trade", "ticker"] as const);
const tick = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Fanout flush rounds", () => {
  it("one flush per subscriber per round, only for subscribers of the symbol", async () => {
    const fanout = new Fanout(5);
    const a = new Recorder(fanout);
    const b = new Recorder(fanout);
    fanout.add("X", a, ALL);
    fanout.add("Y", b, ALL);
    for (let i = 0; i < 10; i++) fanout.emit("X", "trade", `{"n":${i}}`);
    fanout.emit("Y", "orderbook", "{}");
    fanout.emit("Z", "trade", "{}");
    await tick();
    assert.deepEqual(a.writes, [10]);
    assert.deepEqual(b.writes, [1]);
  });

  it("a quiet feed is flushed at once; after a slow round the next batches what came meanwhile", async () => {
    const fanout = new Fanout(20);
    const slow = new Recorder(fanout, 8);
    fanout.add("X", slow, ALL);
    fanout.emit("X", "trade", "{}");
    await tick();
    assert.deepEqual(slow.writes, [1], "first event: flushed on the next turn, no timer");
    // The round took ~8 ms: events in the next ~8 ms share one round.
    fanout.emit("X", "trade", "{}");
    await tick();
    assert.deepEqual(slow.writes, [1], "not flushed yet: waiting out the gap");
    fanout.emit("X", "trade", "{}");
    fanout.emit("X", "trade", "{}");
    await sleep(60);
    assert.deepEqual(slow.writes, [1, 3]);
  });

  it("gap 0 flushes every burst at once", async () => {
    const fanout = new Fanout(0);
    const slow = new Recorder(fanout, 5);
    fanout.add("X", slow, ALL);
    fanout.emit("X", "trade", "{}");
    await tick();
    fanout.emit("X", "trade", "{}");
    await tick();
    assert.deepEqual(slow.writes, [1, 1]);
  });
});
