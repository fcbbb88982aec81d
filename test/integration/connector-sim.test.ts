/**
 * sim → connector → real nats-server JetStream: subjects (tickers with '.'), headers, payload
 * bytes identical to what the simulator sent, counts equal; and each per-connection fault of the
 * simulator (skip/duplicate seq, seq reset, malformed frame, format switch) leaves every frame in
 * the stream or covered by a record, with no duplicates.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { finish, type Pipeline, settle, sleep, startPipeline } from "./connector-harness.js";

let nats: TestNatsServer;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.cleanup();
});

/** Steps the simulator in batches, waiting for the connector to publish what was received. */
async function drive(pipeline: Pipeline, batches: number, perBatch = 100): Promise<void> {
  for (let batch = 0; batch < batches; batch += 1) {
    pipeline.sim.step(perBatch);
    await sleep(30);
  }
  await settle(pipeline);
}

describe("connector against the simulator", () => {
  it("stores every frame verbatim under the right subject with the contract headers", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 8, rate: 0 }, { maxMarketsPerConnection: 3 });
    assert.ok(
      pipeline.sim.marketTickers().some((ticker) => ticker.includes(".")),
      "sim has tickers with '.'",
    );
    assert.equal(pipeline.connector.stats().shards, 3);
    await drive(pipeline, 10);
    const { stored, report } = await finish(pipeline);
    assert.ok(report.sentData > 500, `enough frames (${report.sentData})`);
    assert.equal(report.missing, 0);
    assert.equal(report.storedData, report.sentData);
    assert.equal(report.gaps.length, 0);
    assert.equal(report.disconnects.length, 0);
    const dotted = stored.find((m) => /\.json\.[a-z]+\.[A-Z0-9-]+_\d/.test(m.subject));
    assert.ok(dotted, "a subject with '.' written as '_'");
    const channels = new Set(stored.map((m) => m.subject.split(".")[3]));
    for (const channel of ["orderbook", "ticker", "trade"])
      assert.ok(channels.has(channel), `channel ${channel}`);
  });

  it("drops a duplicated seq", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 4, rate: 0 });
    await drive(pipeline, 3);
    pipeline.sim.injectFault({ kind: "duplicate_seq" });
    await drive(pipeline, 3);
    const { report } = await finish(pipeline);
    assert.ok(report.duplicatesSent >= 1, "the simulator sent a duplicate");
    assert.equal(report.missing, 0);
    assert.equal(report.storedData, report.sentData);
    assert.equal(report.gaps.length, 0);
  });

  it("records a skipped seq as a gap and re-snapshots the books", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 4, rate: 0 });
    await drive(pipeline, 3);
    pipeline.sim.injectFault({ kind: "skip_seq" });
    await drive(pipeline, 3);
    const { stored, report } = await finish(pipeline);
    assert.equal(report.missing, 0);
    assert.equal(report.gaps.length, 1);
    const gap = report.gaps[0]!;
    assert.equal(gap.reason, "seq_gap");
    assert.equal(gap.to_seq, gap.from_seq);
    assert.equal((gap.tickers as string[]).length, 4);
    const gapIndex = stored.findIndex((m) => m.subject.endsWith(".status.gap"));
    const snapshotsAfter = stored
      .slice(gapIndex)
      .filter((m) => m.text.startsWith('{"type":"orderbook_snapshot"'));
    assert.equal(snapshotsAfter.length, 4, "one fresh snapshot per market after the gap");
  });

  it("records a seq reset and resyncs", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 3, rate: 0 });
    await drive(pipeline, 3);
    pipeline.sim.injectFault({ kind: "seq_reset" });
    await drive(pipeline, 3);
    const { report } = await finish(pipeline);
    assert.equal(report.missing, 0);
    assert.ok(
      report.gaps.some((gap) => gap.reason === "seq_reset"),
      JSON.stringify(report.gaps),
    );
  });

  it("sends a malformed frame to the DLQ and carries on", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 3, rate: 0 });
    await drive(pipeline, 2);
    pipeline.sim.injectFault({ kind: "malformed" });
    await drive(pipeline, 2);
    const { report } = await finish(pipeline);
    assert.equal(report.deadLetters.length, 1);
    assert.equal(report.deadLetters[0]?.reason, "malformed");
    assert.equal(report.missing, 0);
    assert.equal(report.storedData, report.sentData);
  });

  it("passes a wire-format switch through verbatim", async () => {
    const pipeline = await startPipeline(nats.url, { markets: 3, rate: 0, format: "legacy" });
    await drive(pipeline, 2);
    pipeline.sim.injectFault({ kind: "format_switch", format: "current" });
    await drive(pipeline, 2);
    const { stored, report } = await finish(pipeline);
    assert.equal(report.missing, 0);
    assert.equal(report.storedData, report.sentData);
    const trades = stored.filter((m) => m.subject.includes(".json.trade."));
    assert.ok(
      trades.some((m) => m.text.includes('"yes_price":')),
      "legacy trades stored",
    );
    assert.ok(
      trades.some((m) => !m.text.includes('"yes_price":')),
      "current trades stored",
    );
  });
});
