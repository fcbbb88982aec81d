/**
 * Connection-level faults against a real nats-server: Kalshi disconnects (with the REST trade
 * backfill of the outage), stalls caught by the watchdog, a terminal subscription error (25),
 * NATS restarting mid-stream, and NATS down long enough to overflow the bounded buffer.
 * Afterwards every simulator frame is in the stream or covered by a record, with no duplicates.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import {
  finish,
  type Pipeline,
  settle as settleIdle,
  sleep,
  startPipeline,
  until,
} from "./connector-harness.js";

let nats: TestNatsServer;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.cleanup();
});

const settle = (pipeline: Pipeline, timeoutMs = 15_000) =>
  settleIdle(pipeline, { connected: true, timeoutMs });

async function drive(pipeline: Pipeline, batches: number, perBatch = 100): Promise<void> {
  for (let batch = 0; batch < batches; batch += 1) {
    pipeline.sim.step(perBatch);
    await sleep(30);
  }
}

describe("connector faults", () => {
  it("reconnects after a disconnect, records the outage and backfills its trades", async () => {
    // Real-time generation (sim clock = wall clock), so the outage window matches REST trade times.
    const pipeline = await startPipeline(nats.url, { markets: 4, rate: 400 });
    await sleep(500);
    pipeline.sim.injectFault({ kind: "slow_start", durationMs: 1000 });
    pipeline.sim.injectFault({ kind: "disconnect" });
    await until(() => pipeline.connector.stats().connectedShards === 0, 5000, "disconnect seen");
    await until(() => pipeline.connector.stats().connectedShards === 1, 10_000, "reconnected");
    await sleep(500);
    pipeline.sim.injectFault({ kind: "stall", durationMs: 60_000 }); // quiet, so nothing is in flight at stop
    await sleep(200);
    await settle(pipeline);
    const { report } = await finish(pipeline);
    assert.equal(report.missingHoles, 0);
    assert.equal(report.disconnects.length, 1);
    const outage = report.disconnects[0]!;
    assert.equal(outage.reason, "disconnect");
    assert.ok(typeof outage.ended_at === "string" && outage.ended_at >= String(outage.started_at));
    assert.ok(report.backfilled > 0, "trades of the outage were backfilled from REST");
  });

  it("reconnects a stalled connection (no pings, no data) through the watchdog", async () => {
    const pipeline = await startPipeline(
      nats.url,
      { markets: 3, rate: 0, pingIntervalMs: 100 },
      { watchdog: { staleAfterMs: 500, checkEveryMs: 100 } },
    );
    await drive(pipeline, 2);
    await settle(pipeline);
    pipeline.sim.injectFault({ kind: "stall", durationMs: 900 });
    await until(() => pipeline.connector.stats().connectedShards === 0, 5000, "stale connection dropped");
    await sleep(1000);
    await settle(pipeline);
    await drive(pipeline, 2);
    await settle(pipeline);
    const { report } = await finish(pipeline);
    assert.equal(report.missingHoles, 0);
    assert.ok(
      report.disconnects.some((record) => record.reason === "stall"),
      JSON.stringify(report.disconnects),
    );
  });

  it("resubscribes after a terminal buffer-overflow error (25)", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 3, rate: 0 });
    await drive(pipeline, 2);
    await settle(pipeline);
    pipeline.sim.injectFault({ kind: "buffer_overflow" });
    await sleep(300);
    await settle(pipeline);
    await drive(pipeline, 2);
    await settle(pipeline);
    const { stored, report } = await finish(pipeline);
    assert.equal(report.missingHoles, 0);
    assert.ok(report.disconnects.some((record) => record.reason === "subscription_error"));
    const outageIndex = stored.findIndex((m) => m.subject.endsWith(".status.disconnect"));
    const booksAfter = stored
      .slice(outageIndex)
      .filter((m) => m.text.startsWith('{"type":"orderbook_snapshot"'));
    assert.equal(booksAfter.length, 3, "fresh snapshots after resubscribing");
  });

  it("keeps every frame through a NATS restart mid-stream", async () => {
    const pipeline = await startPipeline(
      nats.url,
      { markets: 4, rate: 0 },
      { publisher: { publishTimeoutMs: 1000, retryMaxMs: 300 } },
    );
    await drive(pipeline, 3);
    await settle(pipeline);
    await nats.stop();
    await drive(pipeline, 3);
    assert.ok(
      pipeline.connector.stats().buffered + pipeline.connector.stats().inFlight > 0,
      "frames wait for NATS",
    );
    await nats.start();
    await settle(pipeline, 20_000);
    await drive(pipeline, 2);
    await settle(pipeline);
    const { report } = await finish(pipeline);
    assert.equal(report.missing, 0);
    assert.equal(report.storedData, report.sentData);
    assert.equal(report.gaps.length, 0);
  });

  it("records the loss when NATS stays down past the buffer bound", async () => {
    const pipeline = await startPipeline(
      nats.url,
      { markets: 4, rate: 0 },
      { publisher: { maxInFlight: 16, maxBufferedMessages: 100, publishTimeoutMs: 1000, retryMaxMs: 300 } },
    );
    await drive(pipeline, 2);
    await settle(pipeline);
    await nats.stop();
    await drive(pipeline, 5);
    await nats.start();
    await settle(pipeline, 20_000);
    const { report } = await finish(pipeline);
    const overflow = report.gaps.filter((gap) => gap.reason === "publish_buffer_overflow");
    assert.ok(overflow.length >= 1, JSON.stringify(report.gaps));
    const lost = overflow.reduce((total, gap) => total + Number(gap.lost), 0);
    assert.ok(lost > 0);
    assert.equal(report.missing, lost, "exactly the frames the loss records count are missing");
    assert.ok(((overflow[0]?.tickers ?? []) as string[]).length > 0, "loss record names the tickers");
  });
});
