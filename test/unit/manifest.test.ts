/** Pure archive model: line encoding/decoding, paths and windows, manifest merge/quality/status. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  archiveLineHead,
  decodeArchiveLine,
  encodeArchiveLine,
  encodeRawFrameLine,
  isCompleteArchiveLine,
} from "../../src/core/archive-line.js";
import {
  looksLikeGapRecordBytes,
  frameProblem as problemOfBytes,
  skipJsonValue,
} from "../../src/core/archive-line-check.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const frameProblem = (text: string, strict: boolean) => problemOfBytes(bytes(text), strict);

import {
  archiveFileName,
  parseArchiveFileName,
  parseInterval,
  windowAt,
} from "../../src/core/archive-paths.js";
import { applyDelta, emptyManifest, type ManifestFile, mergeManifests } from "../../src/core/manifest.js";

const frame =
  '{"type":"trade","sid":2,"seq":9,"msg":{"market_ticker":"KX-T1.5","yes_price_dollars":"0.4200"}}';

test("a line is rt first, frame verbatim, and decodes back without parsing the frame", () => {
  const line = encodeArchiveLine(1765670400123456, 8812, "prod.kalshi.json.trade.KX-T1_5", frame);
  assert.equal(
    line,
    `{"rt":1765670400123456,"seq":8812,"subject":"prod.kalshi.json.trade.KX-T1_5","msg":${frame}}\n`,
  );
  assert.deepEqual(JSON.parse(line).msg, JSON.parse(frame));
  assert.deepEqual(decodeArchiveLine(line), {
    rt: 1765670400123456,
    seq: 8812,
    subject: "prod.kalshi.json.trade.KX-T1_5",
    msg: frame,
  });
  assert.equal(isCompleteArchiveLine(line.slice(0, -1)), true);
  assert.equal(
    `${archiveLineHead(1765670400123456, 8812, "prod.kalshi.json.trade.KX-T1_5")}${frame}}\n`,
    line,
  );
  assert.equal(isCompleteArchiveLine(line.slice(0, 60)), false);
});

test("frames that cannot be spliced are detected and kept as strings", () => {
  assert.equal(frameProblem(frame, true), undefined);
  assert.equal(frameProblem('{"a":}', false), undefined); // cheap check only
  assert.equal(frameProblem('{"a":}', true), "invalid_json");
  assert.equal(frameProblem("", true), "empty");
  assert.equal(frameProblem("hello", true), "not_json_object");
  assert.equal(frameProblem('{"a":\n1}', true), "contains_newline");
  const raw = encodeRawFrameLine(1, 2, "s", '{"a":\n');
  assert.equal(JSON.parse(raw).msg, '{"a":\n');
});

test("rotation windows are UTC-aligned and never cross midnight", () => {
  const w = windowAt(Date.parse("2026-11-21T14:17:03Z"), 15 * 60_000);
  assert.deepEqual(
    [w.date, w.hhmm, new Date(w.startMs).toISOString(), new Date(w.endMs).toISOString()],
    ["2026-11-21", "1415", "2026-11-21T14:15:00.000Z", "2026-11-21T14:30:00.000Z"],
  );
  const late = windowAt(Date.parse("2026-11-21T23:59:59Z"), 7 * 60_000);
  assert.equal(new Date(late.endMs).toISOString(), "2026-11-22T00:00:00.000Z");
  assert.equal(parseInterval("15m"), 900_000);
  assert.equal(parseInterval("1h"), 3_600_000);
  assert.throws(() => parseInterval("0s"), { code: "VALIDATION" });
  assert.throws(() => parseInterval("fast"), { code: "VALIDATION" });
  assert.equal(archiveFileName("1415"), "1415.jsonl.gz");
  assert.deepEqual(parseArchiveFileName(archiveFileName("1415", 2)), { hhmm: "1415", part: 2 });
  assert.equal(parseArchiveFileName("manifest.json"), undefined);
});

function file(name: string, firstSeq: number, records: number, start: string, end: string): ManifestFile {
  return {
    name,
    start,
    end,
    records,
    records_by_channel: { trade: records },
    bytes_compressed: 10,
    bytes_raw: 100,
    sha256: "x",
    first_seq: firstSeq,
    last_seq: firstSeq + records - 1,
    first_rt: 0,
    last_rt: 0,
  };
}

test("manifests accumulate deltas and merge without losing entries", () => {
  const now = "2026-11-21T12:00:00.000Z";
  let a = emptyManifest("kalshi", "2026-11-21", now);
  a = applyDelta(
    a,
    {
      file: file("0000.jsonl.gz", 1, 10, "2026-11-21T00:00:00.000Z", "2026-11-21T12:00:00.000Z"),
      tickers: ["B", "A"],
      channels: ["trade"],
      duplicatesDropped: 2,
      covered: [["2026-11-21T00:00:00.000Z", "2026-11-21T12:00:00.000Z"]],
    },
    now,
  );
  assert.equal(a.records, 10);
  assert.deepEqual(a.tickers, ["A", "B"]);
  assert.equal(a.quality.coverage, 0.5);
  assert.equal(a.status, "open");
  const b = applyDelta(
    emptyManifest("kalshi", "2026-11-21", now),
    {
      file: file("1200.jsonl.gz", 11, 5, "2026-11-21T12:00:00.000Z", "2026-11-22T00:00:00.000Z"),
      tickers: ["C"],
      covered: [["2026-11-21T12:00:00.000Z", "2026-11-22T00:00:00.000Z"]],
    },
    now,
  );
  const merged = mergeManifests(a, b);
  assert.deepEqual(
    merged.files.map((f) => f.name),
    ["0000.jsonl.gz", "1200.jsonl.gz"],
  );
  assert.equal(merged.records, 15);
  assert.deepEqual(merged.tickers, ["A", "B", "C"]);
  assert.equal(merged.quality.coverage, 1);
  assert.deepEqual(mergeManifests(merged, a), merged); // idempotent
  const closed = applyDelta(merged, { closeDay: true }, now);
  assert.equal(closed.status, "partial"); // full coverage, but duplicates lower the score below 1
  const clean = applyDelta(mergeManifests(applyDelta(a, {}, now), b), {}, now);
  assert.ok(clean.quality.score < 1);
  const perfect = applyDelta(
    b,
    { file: file("0000.jsonl.gz", 1, 10, "x", "y"), covered: a.covered, closeDay: true },
    now,
  );
  assert.equal(perfect.status, "complete");
  assert.equal(perfect.quality.score, 1);
  const gappy = applyDelta(
    perfect,
    {
      gaps: [
        {
          type: "ssmd_gap",
          reason: "stream_gap",
          source: "archiver",
          sid: null,
          from_seq: 3,
          to_seq: 4,
          tickers: [],
          started_at: now,
          ended_at: now,
        },
      ],
    },
    now,
  );
  assert.equal(gappy.status, "partial");
  assert.equal(gappy.quality.score, 0.95);
});

test("the JSON validator agrees with JSON.parse", async () => {
  const valid = [
    '{"a":[1,-2.5e3,true,false,null,"x\\"y\\u00e9"],"b":{}}',
    "[]",
    '{"k":0.1}',
    '{ "a" : [ ] }',
    frame,
  ];
  const invalid = [
    '{"a":}',
    '{"a":1,}',
    "[1 2]",
    '{"a":01}',
    '{"a":"\\x"}',
    '{"a":1}}',
    '{"a":tru}',
    '{"a":-}',
    '{"a":"b',
  ];
  for (const text of valid) assert.equal(skipJsonValue(bytes(text), 0, 0), bytes(text).length, text);
  for (const text of invalid) {
    assert.throws(() => JSON.parse(text));
    assert.notEqual(skipJsonValue(bytes(text), 0, 0), bytes(text).length, text);
  }
  assert.equal(looksLikeGapRecordBytes(bytes('{"type":"ssmd_gap","reason":"x"}')), true);
  assert.equal(looksLikeGapRecordBytes(bytes('{"type":"ssmd_disconnect"}')), true);
  assert.equal(looksLikeGapRecordBytes(bytes(frame)), false);
});
