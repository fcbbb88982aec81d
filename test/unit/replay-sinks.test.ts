import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { test } from "node:test";
import { ndjsonSink, replaySubject, validateReplayPrefix } from "../../src/components/replay/replay-sinks.js";

const record = (seq: number, subject = "prod.kalshi.json.trade.T1") => ({
  rt: 1_795_000_000_000_000 + seq,
  seq,
  subject,
  msg: `{"type":"trade","sid":1,"msg":{"n":${seq}}}`,
});

test("replay subjects sit under replay.; --prefix swaps the original prefix, keeps the rest", () => {
  assert.equal(replaySubject("prod.kalshi.json.trade.T1"), "replay.prod.kalshi.json.trade.T1");
  assert.equal(replaySubject("prod.kalshi.json.trade.T1", "bt"), "replay.bt.json.trade.T1");
  assert.equal(replaySubject("prod.kalshi.status.gap", "bt.x"), "replay.bt.x.status.gap");
  assert.equal(replaySubject("prod.kalshi.secmaster.T1", "bt"), "replay.bt.secmaster.T1");
  assert.equal(replaySubject("odd", "bt"), "replay.bt.odd");
});

test("a replay prefix is dot-separated plain tokens", () => {
  for (const good of ["bt", "bt.kalshi", "a-b_c.D9"]) assert.equal(validateReplayPrefix(good), good);
  for (const bad of ["", ".bt", "bt.", "bt..x", "bt.*", "bt.>", "b t"])
    assert.throws(() => validateReplayPrefix(bad), { code: "VALIDATION" }, bad);
});

test("ndjsonSink writes the archive line of each record, flushed on close", async () => {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  const sink = ndjsonSink(out);
  for (const seq of [1, 2]) await sink.write(record(seq));
  assert.equal(chunks.length, 0, "small writes are batched");
  await sink.close();
  const lines = Buffer.concat(chunks).toString("utf8").split("\n");
  assert.equal(lines.pop(), "");
  assert.deepEqual(
    lines.map((line) => JSON.parse(line)),
    [1, 2].map((seq) => ({ ...record(seq), msg: JSON.parse(record(seq).msg) })),
  );
  assert.equal(sink.isClosed?.(), false);
});

test("ndjsonSink: a destination that fails (closed pipe) marks the sink closed, without throwing", async () => {
  const out = new Writable({
    highWaterMark: 16,
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    },
  });
  const sink = ndjsonSink(out);
  const big = { ...record(1), msg: `{"pad":"${"x".repeat(70_000)}"}` };
  await sink.write(big);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sink.isClosed?.(), true);
  await sink.write(record(2));
  await sink.close();
});
