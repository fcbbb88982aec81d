/**
 * A client that never reads: its queue stays bounded (order-book updates conflate to the latest
 * state), it is disconnected with a clear close code, and a normal client on the same symbol
 * gets every event meanwhile.
 */
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import type WebSocket from "ws";
import {
  type LevelText,
  MemoryGateway,
  snapshotFrame,
  tradeFrame,
  waitUntil,
} from "../helpers/gateway-harness.js";

const LIMITS = {
  socketHighWaterBytes: 64 * 1024,
  conflateAboveMessages: 100,
  maxQueueMessages: 500,
  maxQueueBytes: 2 * 1024 * 1024,
  maxBehindMs: 1500,
};

function socketOf(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

function bigBook(n: number): { yes: LevelText[]; no: LevelText[] } {
  const yes: LevelText[] = [];
  const no: LevelText[] = [];
  for (let i = 1; i <= 150; i++) {
    yes.push([(i / 1000).toFixed(4), `${n}.${String(i % 100).padStart(2, "0")}`]);
    no.push([(i / 1000 + 0.0005).toFixed(4), `${i}.25`]);
  }
  return { yes, no };
}

describe("gateway slow clients", () => {
  const ticker = "KXSLOW-26NOV21-T1";
  let gw: MemoryGateway;

  before(async () => {
    gw = await MemoryGateway.start("SLOW", { limits: LIMITS });
    const first = bigBook(0);
    await gw.seed([["orderbook", ticker, snapshotFrame(ticker, first.yes, first.no)]]);
  });
  after(() => gw.stop());

  it("conflates book updates for a reader that stopped, then closes it (4002); others unaffected", async (t) => {
    const slow = await gw.client(`?symbols=${ticker}&channels=orderbook`);
    await slow.waitFor((events) => events.length === 1, "initial snapshot");
    socketOf(slow.ws).pause();
    const normal = await gw.client(`?symbols=${ticker}`);
    t.after(() => normal.close()); // even when an assertion fails, so the next test starts with no clients
    await normal.waitFor((events) => events.length === 1, "normal snapshot");
    const slowId = Math.min(...gw.gateway.clients().map((c) => c.id));
    let maxBytes = 0;
    let maxMessages = 0;
    const sampler = setInterval(() => {
      const info = gw.gateway.clients().find((c) => c.id === slowId);
      if (!info) return;
      maxBytes = Math.max(maxBytes, info.queuedBytes);
      maxMessages = Math.max(maxMessages, info.queuedMessages);
    }, 5);
    // The gateway terminates a closed client 5 s after its close frame; resume reading as soon as it
    // drops the slow client, so the close frame (queued behind the backlog) can still be read on a busy machine.
    const slowDropped = waitUntil(
      () => !gw.gateway.clients().some((c) => c.id === slowId),
      "slow client closed",
      30_000,
    );
    const slowResumed = slowDropped.then(() => socketOf(slow.ws).resume());
    const snapshots = 2500;
    for (let n = 1; n <= snapshots; n++) {
      const book = bigBook(n);
      await gw.publisher.data("orderbook", ticker, snapshotFrame(ticker, book.yes, book.no, n + 1));
      if (n % 10 === 0)
        await gw.publisher.data("trade", ticker, tradeFrame(ticker, `t${n}`, "0.0500", "1.00", "yes"));
      if (n % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    // Trades are never dropped; the last book event is the last snapshot (this client may itself
    // have been conflated for a moment: the test process is busy publishing).
    const lastBid = [0.15, snapshots + 0.5];
    await normal.waitFor(
      (events) =>
        events.filter((e) => e.type === "trade").length === snapshots / 10 &&
        JSON.stringify((events.filter((e) => e.type === "orderbook").at(-1)?.bids as number[][])?.[0]) ===
          JSON.stringify(lastBid),
      "every trade and the last book for the normal client",
      15_000,
    );
    await slowResumed;
    clearInterval(sampler);
    await slow.closed;
    assert.equal(slow.closeCode, 4002);
    assert.match(slow.closeReason, /slow consumer: behind/);
    assert.ok(maxMessages <= LIMITS.maxQueueMessages, `queue ${maxMessages} messages`);
    assert.ok(maxBytes <= LIMITS.maxQueueBytes, `queue ${maxBytes} bytes`);
    assert.ok(maxMessages > LIMITS.conflateAboveMessages, "the slow client did fall behind");
    // The normal client stayed, got every trade in order and full books only.
    const trades = normal.of("trade").map((e) => e.id);
    assert.deepEqual(
      trades,
      Array.from({ length: snapshots / 10 }, (_, i) => `t${(i + 1) * 10}`),
    );
    assert.ok(normal.of("orderbook").every((e) => e.snapshot === true));
    assert.equal(normal.closeCode, undefined);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(metrics, /ssmd_gateway_disconnects_total\{reason="too_slow"\} 1/);
    const conflations = Number(/ssmd_gateway_conflations_total (\d+)/.exec(metrics)?.[1]);
    assert.ok(conflations >= 1, "conflations counted");
  });

  it("closes a stopped reader whose unconflatable backlog overflows (4001)", async () => {
    const slow = await gw.client(`?symbols=${ticker}&channels=trade`);
    socketOf(slow.ws).pause();
    await waitUntil(() => gw.gateway.clients().length === 1, "one client");
    const longId = "x".repeat(2000);
    for (let n = 0; n < 8000 && gw.gateway.clientCount() > 0; n++) {
      await gw.publisher.data("trade", ticker, tradeFrame(ticker, `${longId}-${n}`, "0.0500", "1.00", "no"));
      if (n % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await waitUntil(() => gw.gateway.clientCount() === 0, "slow client closed", 10_000);
    socketOf(slow.ws).resume();
    await slow.closed;
    assert.equal(slow.closeCode, 4001);
    assert.match(slow.closeReason, /send queue full/);
  });
});
