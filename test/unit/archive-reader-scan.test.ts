/**
 * The byte-level line scan (line-header.ts, record-filter.ts, chunk-scanner.ts) against a plain
 * reference that JSON.parses every line: same records kept, in the same order, for many filters,
 * over fixture lines plus edge cases (suffix-only ticker matches, other status kinds, '\r\n',
 * foreign key order, short subjects, garbage, a torn last line ending in '}'), with the chunk cut at
 * every kind of place.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ChunkScanner, emptyScanStats } from "../../src/adapters/archive-reader/chunk-scanner.js";
import { wholeLineChunks } from "../../src/adapters/archive-reader/line-chunks.js";
import { RecordFilter, type RecordFilterSpec } from "../../src/adapters/archive-reader/record-filter.js";
import type { StreamRecord } from "../../src/core/record.js";
import { archiveLine, fixtureRecords, gapRecord } from "../helpers/data-archive.js";

const START_US = 1_795_132_800_000_000;

function edgeLines(): string[] {
  const base = fixtureRecords(START_US + 5_000_000_000, 6, "prod.kalshi", 9);
  const trade = base[0]!;
  const foreign = `{"seq":${trade.seq},"subject":"${trade.subject}","rt":${trade.rt + 1},"msg":${trade.msg}}\n`;
  return [
    archiveLine({ ...trade, subject: "prod.kalshi.json.trade.X-KXFED-26DEC-H0" }),
    archiveLine({ ...trade, subject: "prod.kalshi.json.trade.H0" }),
    archiveLine({ ...trade, subject: "json.trade.KXFED-26DEC-H0" }),
    archiveLine({ ...trade, subject: "prod.kalshi.status.connected", msg: '{"type":"ssmd_connected"}' }),
    archiveLine({ ...trade, subject: "status.gap", msg: '{"type":"ssmd_gap","tickers":[]}' }),
    archiveLine(gapRecord(trade.rt + 2, 7, "prod.kalshi", ["KXETHD-26NOV21-T3500"])),
    archiveLine({ ...gapRecord(trade.rt + 3, 8, "prod.kalshi"), subject: "prod.kalshi.status.disconnect" }),
    archiveLine(base[1]!).replace("\n", "\r\n"),
    foreign,
    "not json at all\n",
    ...base.slice(2).map(archiveLine),
    `{"rt":12,"seq":1,"subject":"a.json.trade.T","msg":{"type":"trade","msg":{}}`,
  ];
}

function referenceKeep(text: string, spec: RecordFilterSpec): StreamRecord | undefined {
  let value: { rt?: unknown; seq?: unknown; subject?: unknown; msg?: unknown };
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { rt, seq, subject, msg } = value;
  if (typeof rt !== "number" || typeof seq !== "number" || typeof subject !== "string") return undefined;
  if (rt < (spec.fromUs ?? -Infinity) || rt >= (spec.toUs ?? Infinity)) return undefined;
  const record = { rt, seq, subject, msg: JSON.stringify(msg) };
  const parts = subject.split(".");
  const n = parts.length;
  const tokens = spec.tickers?.map((t) => t.replaceAll(".", "_"));
  const selective = Boolean(tokens?.length || spec.channels?.length || spec.types?.length);
  if (n < 3) return undefined;
  if (parts[n - 2] === "status") {
    const kind = parts[n - 1];
    if (kind !== "gap" && kind !== "disconnect") return selective ? undefined : record;
    if (spec.includeGaps === false) return undefined;
    const wanted = (msg as { tickers?: unknown }).tickers;
    if (!tokens?.length || !Array.isArray(wanted) || wanted.length === 0) return record;
    return wanted.some((t) => tokens.includes(String(t).replaceAll(".", "_"))) ? record : undefined;
  }
  if (n < 4 || parts[n - 3] !== "json") return undefined;
  if (spec.channels?.length && !spec.channels.includes(parts[n - 2] as never)) return undefined;
  if (tokens?.length && !tokens.includes(parts[n - 1]!)) return undefined;
  const type = (msg as { type?: unknown }).type;
  if (spec.types?.length && !spec.types.includes(String(type))) return undefined;
  return record;
}

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function scanAll(bytes: Buffer, spec: RecordFilterSpec, size: number) {
  const stats = emptyScanStats();
  const scanner = new ChunkScanner(new RecordFilter(spec), stats);
  const records: StreamRecord[] = [];
  const raw: Buffer[] = [];
  let rawCount = 0;
  const rawScanner = new ChunkScanner(new RecordFilter(spec), emptyScanStats());
  for await (const chunk of wholeLineChunks(pieces(bytes, size))) {
    scanner.records(chunk, records);
    rawCount += rawScanner.rawLines(chunk, raw);
  }
  return { records, raw: Buffer.concat(raw).toString("utf8"), rawCount, stats };
}

const SPECS: RecordFilterSpec[] = [
  {},
  { tickers: ["KXFED-26DEC-H0"] },
  { tickers: ["KXBTCD-26NOV21-T67749.99"], channels: ["orderbook"] },
  { tickers: ["KXFED-26DEC-H0"], channels: ["lifecycle"], includeGaps: false },
  { tickers: Array.from({ length: 20 }, (_, i) => (i === 7 ? "KXETHD-26NOV21-T3500" : `KX${i}`)) },
  { channels: ["trade", "ticker"] },
  { types: ["orderbook_delta"], tickers: ["KXETHD-26NOV21-T3500", "H0"] },
  { fromUs: START_US + 200_000, toUs: START_US + 900_000, tickers: ["KXETHD-26NOV21-T3500"] },
];

describe("archive line scan vs a JSON.parse reference", () => {
  const lines = [...fixtureRecords(START_US, 300, "prod.kalshi", 4).map(archiveLine), ...edgeLines()];
  const bytes = Buffer.from(lines.join(""));

  for (const [index, spec] of SPECS.entries()) {
    test(`filter ${index}: ${JSON.stringify(spec).slice(0, 90)}`, async () => {
      const expected = lines
        .map((line) => referenceKeep(line.trimEnd(), spec))
        .filter((r): r is StreamRecord => r !== undefined);
      assert.ok(expected.length > 0, "the reference keeps something");
      for (const size of [bytes.length, 4096, 301, 7]) {
        const { records, raw, rawCount, stats } = await scanAll(bytes, spec, size);
        const normalized = records.map((r) => ({ ...r, msg: JSON.stringify(JSON.parse(r.msg)) }));
        assert.deepEqual(normalized, expected, `chunk size ${size}`);
        const rawRecords = raw
          .split("\n")
          .slice(0, -1)
          .map((line) => referenceKeep(line, {}));
        assert.deepEqual(rawRecords, expected, `raw lines, chunk size ${size}`);
        assert.equal(rawCount, expected.length);
        assert.equal(stats.lines, lines.length, `every line counted, chunk size ${size}`);
        assert.equal(stats.kept, expected.length);
      }
    });
  }

  test("bad lines are counted whatever the filter", async () => {
    for (const spec of SPECS) {
      const { stats } = await scanAll(bytes, spec, 4096);
      assert.equal(stats.badLines, 2, JSON.stringify(spec));
    }
  });
});
