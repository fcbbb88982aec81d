/**
 * The replay engine over a written archive day and the archive-fed Kalshi source behind
 * `--to kalshi-ws`: only gap/disconnect records count as gaps and reset books; other status
 * records (the connector's dead letters) pass through without either.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { dayStartUs } from "../../src/adapters/archive-reader/archive-layout.js";
import { ArchiveMarketSource } from "../../src/components/replay/archive-market-source.js";
import { runReplay } from "../../src/components/replay/replay-engine.js";
import type { StreamRecord } from "../../src/core/record.js";
import {
  archiveLine,
  dirStore,
  fixtureRecords,
  gapRecord,
  TICKERS,
  writeFixtureDay,
} from "../helpers/data-archive.js";
import { tempDir } from "../helpers/tmp.js";

const DATE = "2026-11-20";

function deadLetter(rt: number, seq: number): StreamRecord {
  const msg = JSON.stringify({ type: "ssmd_dlq", reason: "parse", error: "bad", frame: "{" });
  return { rt, seq, subject: "test.kalshi.status.dlq", msg };
}

describe("replay engine and archive market source", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let records: StreamRecord[];

  before(async () => {
    dir = await tempDir("ssmd-replay-engine-");
    records = fixtureRecords(dayStartUs(DATE) + 3_600_000_000, 40);
    await writeFixtureDay(join(dir.path, "data"), "kalshi", DATE, [{ hhmm: "0100", records }]);
    // status records in a file of their own: the fixture manifest would take a dead letter for a gap
    const at = dayStartUs(DATE) + 7_200_000_000;
    const tail = [deadLetter(at, 41), gapRecord(at + 1, 42), deadLetter(at + 2, 43)];
    const file = join(dir.path, "data", "kalshi", DATE, "0200.jsonl.gz");
    await writeFile(file, gzipSync(tail.map(archiveLine).join("")));
    records.push(...tail);
  });
  after(() => dir.cleanup());

  test("runReplay sends every record in order and counts only gap records as gaps", async () => {
    const sent: StreamRecord[] = [];
    const result = await runReplay({
      store: dirStore(join(dir.path, "data")),
      query: { feed: "kalshi", fromDate: DATE, toDate: DATE },
      speed: "max",
      sink: { write: (record) => void sent.push(record), close: async () => {} },
    });
    assert.deepEqual(
      sent.map((r) => r.seq),
      records.map((r) => r.seq),
    );
    assert.deepEqual([result.records, result.gaps], [records.length, 1]);
    assert.deepEqual([result.firstRt, result.lastRt], [records[0]!.rt, records.at(-1)!.rt]);
  });

  test("a dead-letter record keeps the rebuilt books; a gap record resets them", () => {
    const source = new ArchiveMarketSource();
    const ticker = TICKERS[2]!; // record 2 is its snapshot (fixtures cycle channels and tickers)
    for (const record of records.slice(0, 40)) source.feed(record);
    const levels = () => JSON.parse(source.snapshotBody(ticker, false)!) as Record<string, unknown[]>;
    const before = levels();
    assert.ok(Object.values(before).some((side) => Array.isArray(side) && side.length > 0));
    source.feed(records[40]!);
    assert.deepEqual(levels(), before, "a dead letter says nothing about the books");
    source.feed(records[41]!);
    assert.ok(
      Object.values(levels()).every((side) => !Array.isArray(side) || side.length === 0),
      "a gap leaves no book to trust",
    );
  });
});
