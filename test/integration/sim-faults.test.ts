/** ssmd sim faults, on demand (injectFault, control endpoint) and on a schedule, seen by a real WebSocket client. */
import assert from "node:assert/strict";
import type { Duplex } from "node:stream";
import { after, before, describe, it } from "node:test";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { connect, type Frame, type SimClient, settle, sleep } from "./sim-client.js";

const msgOf = (frame: Frame) => frame.msg as Record<string, unknown>;

async function subscribeBook(sim: Simulator, client: SimClient, count = 3): Promise<void> {
  client.send({
    id: 1,
    cmd: "subscribe",
    params: { channels: ["orderbook_delta"], market_tickers: sim.marketTickers().slice(0, count) },
  });
  await client.waitForCount((f) => f.type === "orderbook_snapshot", count);
}

const seqs = (client: SimClient) =>
  client.frames.filter((f) => f.sid === 1 && typeof f.seq === "number").map((f) => f.seq!);

describe("sim faults on demand", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ rate: 0, markets: 6, format: "legacy", pingIntervalMs: 50 });
  });
  after(() => sim.stop());

  it("disconnect drops the connection", async () => {
    const client = await connect(sim);
    sim.injectFault({ kind: "disconnect" });
    assert.equal(await client.closed, 1006);
  });

  it("skip_seq leaves exactly one gap in the sid's seq", async () => {
    const client = await connect(sim);
    await subscribeBook(sim, client);
    sim.injectFault({ kind: "skip_seq" });
    sim.step(300);
    await client.waitForCount((f) => f.type === "orderbook_delta", 10);
    const gaps = seqs(client).filter((seq, i, all) => i > 0 && seq !== all[i - 1]! + 1);
    assert.equal(gaps.length, 1);
    await client.close();
  });

  it("duplicate_seq repeats one sequenced frame verbatim", async () => {
    const client = await connect(sim);
    await subscribeBook(sim, client);
    sim.injectFault({ kind: "duplicate_seq" });
    sim.step(300);
    await client.waitForCount((f) => f.type === "orderbook_delta", 10);
    const all = seqs(client);
    const repeats = all.filter((seq, i) => i > 0 && seq === all[i - 1]);
    assert.equal(repeats.length, 1);
    const index = all.findIndex((seq, i) => i > 0 && seq === all[i - 1]);
    const sequencedTexts = client.texts.filter((text) => text.includes('"sid":1,"seq"'));
    assert.equal(sequencedTexts[index], sequencedTexts[index - 1]);
    await client.close();
  });

  it("seq_reset restarts the seq at 1", async () => {
    const client = await connect(sim);
    await subscribeBook(sim, client);
    sim.step(200);
    await client.waitForCount((f) => f.type === "orderbook_delta", 5);
    sim.injectFault({ kind: "seq_reset" });
    const before = client.frames.length;
    sim.step(300);
    const next = await client.waitFor((f) => f.type === "orderbook_delta", 3000, before);
    assert.equal(next.seq, 1);
    await client.close();
  });

  it("malformed sends a frame that is not JSON", async () => {
    const client = await connect(sim);
    sim.injectFault({ kind: "malformed" });
    const bad = await client.waitFor((f) => f.type === "__malformed__");
    assert.throws(() => JSON.parse(bad.text as string));
    await client.close();
  });

  it("buffer_overflow answers error 25 with the sid and drops the orderbook subscription", async () => {
    const client = await connect(sim);
    await subscribeBook(sim, client);
    client.send({ id: 2, cmd: "subscribe", params: { channels: ["trade"] } });
    await client.waitFor((f) => f.id === 2);
    sim.injectFault({ kind: "buffer_overflow" });
    const error = await client.waitFor((f) => f.type === "error");
    assert.deepEqual(error, {
      type: "error",
      sid: 1,
      msg: { code: 25, msg: "Subscription buffer overflow" },
    });
    const before = client.frames.length;
    sim.step(500);
    await client.waitFor((f) => f.type === "trade", 3000, before);
    assert.equal(client.frames.slice(before).filter((f) => f.type === "orderbook_delta").length, 0);
    client.send({ id: 3, cmd: "list_subscriptions" });
    assert.deepEqual(msgOf(await client.waitFor((f) => f.id === 3)), [{ channel: "trade", sid: 2 }]);
    await client.close();
  });

  it("format_switch turns legacy frames into current ones mid-session", async () => {
    const client = await connect(sim);
    await subscribeBook(sim, client);
    sim.step(200);
    const legacy = msgOf(await client.waitFor((f) => f.type === "orderbook_delta"));
    assert.equal(typeof legacy.price, "number");
    assert.equal("ts_ms" in legacy, false);
    sim.injectFault({ kind: "format_switch" });
    const before = client.frames.length;
    sim.step(200);
    const current = msgOf(await client.waitFor((f) => f.type === "orderbook_delta", 3000, before));
    assert.equal("price" in current, false);
    assert.equal(typeof current.ts_ms, "number");
    assert.match(current.price_dollars as string, /^\d\.\d{4}$/);
    sim.injectFault({ kind: "format_switch", format: "legacy" });
    await client.close();
  });

  it("slow_start holds the next handshake", async () => {
    sim.injectFault({ kind: "slow_start", durationMs: 400 });
    const started = Date.now();
    const client = await connect(sim);
    assert.ok(Date.now() - started >= 380, `handshake took ${Date.now() - started} ms`);
    await client.close();
  });

  it("rest_429 refuses REST with Kalshi's 429 body for a while", async () => {
    sim.injectFault({ kind: "rest_429", durationMs: 1500 });
    const refused = await fetch(`${sim.restUrl}/exchange/status`);
    assert.equal(refused.status, 429);
    assert.deepEqual(await refused.json(), { error: "too many requests" });
    await sleep(1600);
    assert.equal((await fetch(`${sim.restUrl}/exchange/status`)).status, 200);
  });

  it("takes faults through the control endpoint and rejects unknown ones with a suggestion", async () => {
    const client = await connect(sim);
    const ok = await fetch(`${sim.controlUrl}/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "disconnect" }),
    });
    assert.equal(ok.status, 200);
    assert.equal(await client.closed, 1006);
    const bad = await fetch(`${sim.controlUrl}/faults`, {
      method: "POST",
      body: JSON.stringify({ kind: "disconect" }),
    });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { message: string } };
    assert.match(body.error.message, /Did you mean 'disconnect'/);
  });
});

describe("sim faults: stall and slow consumers", () => {
  it("stall stops pings and data, then both resume", async () => {
    // The stall is long and resumption is polled, so a slow machine (CI under load) cannot let the
    // stall expire before the "nothing while stalled" window has been observed.
    const stallMs = 2500;
    const sim = await startSimulator({ rate: 2000, markets: 4, pingIntervalMs: 40 });
    try {
      const client = await connect(sim);
      await subscribeBook(sim, client, 4);
      await sleep(150);
      const stalledAt = Date.now();
      sim.injectFault({ kind: "stall", durationMs: stallMs });
      await settle(client, 100); // frames already in flight
      const [pings, frames] = [client.pings.length, client.frames.length];
      await sleep(250);
      assert.ok(Date.now() - stalledAt < stallMs, "the quiet window was observed inside the stall");
      assert.equal(client.pings.length, pings, "no pings while stalled");
      assert.equal(client.frames.length, frames, "no data while stalled");
      const deadline = stalledAt + stallMs + 5000;
      while ((client.pings.length <= pings || client.frames.length <= frames) && Date.now() < deadline) {
        await sleep(50);
      }
      assert.ok(client.pings.length > pings, "pings resume");
      assert.ok(client.frames.length > frames, "data resumes");
      // The exchange clock ran on through the stall: timestamps jump by about its length.
      const times = client.frames
        .map((f) => (f.msg as { ts_ms?: number } | undefined)?.ts_ms)
        .filter((t) => t !== undefined);
      const jumps = times.slice(1).map((t, i) => t - times[i]!);
      assert.ok(Math.max(...jumps) >= stallMs - 400, `largest ts_ms jump ${Math.max(...jumps)} ms`);
      await client.close();
    } finally {
      await sim.stop();
    }
  });

  it("a client that stops reading gets error 25 instead of unbounded buffering", async () => {
    const sim = await startSimulator({
      rate: 0,
      markets: 4,
      limits: { maxQueuedFrames: 2000, highWaterBytes: 64 * 1024 },
    });
    try {
      const client = await connect(sim);
      await subscribeBook(sim, client, 4);
      const socket = Reflect.get(client.ws, "_socket") as Duplex;
      socket.pause();
      for (let i = 0; i < 40; i++) {
        sim.step(4000);
        await sleep(20);
      }
      socket.resume();
      const error = await client.waitFor((f) => f.type === "error", 10_000);
      assert.deepEqual(msgOf(error), { code: 25, msg: "Subscription buffer overflow" });
      const delivered = client.frames.filter((f) => f.type === "orderbook_delta").length;
      assert.ok(delivered < 100_000, `the backlog was cut (${delivered} deltas delivered)`);
      await client.close();
    } finally {
      await sim.stop();
    }
  });
});

describe("sim faults on a schedule", () => {
  it("runs --faults items at their times, repeating with +EVERY", async () => {
    const sim = await startSimulator({ rate: 0, markets: 3, faults: "malformed@100ms+150ms" });
    try {
      const client = await connect(sim);
      const frames = await client.waitForCount((f) => f.type === "__malformed__", 3, 5000);
      assert.equal(frames.length, 3);
      await client.close();
    } finally {
      await sim.stop();
    }
  });

  it("rejects a bad schedule with every problem listed", async () => {
    await assert.rejects(
      startSimulator({ faults: "disconect@1s,stall:abc@2s,skip_seq" }),
      (error: Error & { details?: string[] }) => {
        assert.equal(error.details?.length, 3);
        assert.match(error.details![0]!, /Did you mean 'disconnect'/);
        return true;
      },
    );
  });
});
