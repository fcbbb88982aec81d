import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { dayStartUs } from "../../src/adapters/archive-reader/archive-layout.js";
import { readArchive } from "../../src/adapters/archive-reader/archive-reader.js";
import type { StreamRecord } from "../../src/core/record.js";
import {
  archiveLine,
  dirStore,
  fixtureRecords,
  gapRecord,
  writeFixtureDay,
} from "../helpers/data-archive.js";
import { tempDir } from "../helpers/tmp.js";

const DAY1 = "2026-11-20";
const DAY2 = "2026-11-21";
const HOUR_US = 3_600_000_000;

async function collect(iterable: AsyncIterable<StreamRecord>): Promise<StreamRecord[]> {
  const out: StreamRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe("archive reader", () => {
  let root: { path: string; cleanup: () => Promise<void> };
  const all: StreamRecord[] = [];

  before(async () => {
    root = await tempDir("ssmd-reader-");
    const a = fixtureRecords(dayStartUs(DAY1) + 10 * HOUR_US, 500, "test.kalshi", 1);
    const gap = gapRecord(a.at(-1)!.rt + 1, 501, "test.kalshi", ["KXFED-26DEC-H0"]);
    const b = fixtureRecords(dayStartUs(DAY1) + 11 * HOUR_US, 400, "test.kalshi", 2).map((r, i) => ({
      ...r,
      seq: 600 + i,
    }));
    const c = fixtureRecords(dayStartUs(DAY2) + 1 * HOUR_US, 300, "test.kalshi", 3).map((r, i) => ({
      ...r,
      seq: 2000 + i,
    }));
    await writeFixtureDay(root.path, "kalshi", DAY1, [
      { hhmm: "1000", records: [...a, gap] },
      { hhmm: "1100", records: b },
    ]);
    await writeFixtureDay(root.path, "kalshi", DAY2, [{ hhmm: "0100", records: c }]);
    all.push(...a, gap, ...b, ...c);
  });
  after(() => root.cleanup());

  test("yields every record of every file and day in order, byte-identical", async () => {
    const records = await collect(readArchive(dirStore(root.path), { feed: "kalshi" }));
    assert.equal(records.length, all.length);
    assert.deepEqual(records, all);
  });

  test("filters by ticker (with '.') and channel without losing matching records", async () => {
    const reader = readArchive(dirStore(root.path), {
      feed: "kalshi",
      tickers: ["KXBTCD-26NOV21-T67749.99"],
      channels: ["trade"],
    });
    const records = await collect(reader);
    const expected = all.filter((r) => r.subject === "test.kalshi.json.trade.KXBTCD-26NOV21-T67749_99");
    assert.ok(expected.length > 50);
    assert.deepEqual(records, expected);
    assert.equal(reader.stats.lines, all.length);
    assert.equal(reader.stats.kept, expected.length);
  });

  test("filters by message type and time range; the gap for a wanted ticker passes", async () => {
    const from = dayStartUs(DAY1) + 10 * HOUR_US + 2_000_000;
    const to = dayStartUs(DAY1) + 11 * HOUR_US + 1_000_000;
    const records = await collect(
      readArchive(dirStore(root.path), {
        feed: "kalshi",
        fromUs: from,
        toUs: to,
        types: ["orderbook_delta"],
        tickers: ["KXFED-26DEC-H0"],
      }),
    );
    const expected = all.filter(
      (r) =>
        r.rt >= from &&
        r.rt < to &&
        ((r.subject.endsWith(".KXFED-26DEC-H0") && r.msg.startsWith('{"type":"orderbook_delta"')) ||
          r.subject.endsWith(".status.gap")),
    );
    assert.ok(expected.some((r) => r.subject.endsWith(".status.gap")));
    assert.deepEqual(records, expected);
  });

  test("a gap for other tickers is left out when a ticker filter is set, kept otherwise", async () => {
    const store = dirStore(root.path);
    const other = await collect(readArchive(store, { feed: "kalshi", tickers: ["KXETHD-26NOV21-T3500"] }));
    assert.equal(other.filter((r) => r.subject.endsWith(".status.gap")).length, 0);
    const unfiltered = await collect(readArchive(store, { feed: "kalshi", channels: ["lifecycle"] }));
    assert.equal(unfiltered.filter((r) => r.subject.endsWith(".status.gap")).length, 1);
    const noGaps = await collect(readArchive(store, { feed: "kalshi", includeGaps: false }));
    assert.equal(noGaps.length, all.length - 1);
  });

  test("date bounds select days; time bounds skip whole files", async () => {
    const store = dirStore(root.path);
    const day2 = await collect(readArchive(store, { feed: "kalshi", fromDate: DAY2, toDate: DAY2 }));
    assert.equal(day2.length, 300);
    const reader = readArchive(store, { feed: "kalshi", fromUs: dayStartUs(DAY2) });
    assert.equal((await collect(reader)).length, 300);
    assert.equal(reader.stats.files, 1);
  });

  test("the manifest lets whole files be skipped: no wanted channel, or outside the time range", async () => {
    const skip = await tempDir("ssmd-reader-skip-");
    try {
      const start = dayStartUs(DAY1);
      const trades = fixtureRecords(start, 70).filter((r) => r.subject.includes(".trade."));
      const mixed = fixtureRecords(start + HOUR_US, 70, "test.kalshi", 2).map((r, i) => ({
        ...r,
        seq: 100 + i,
      }));
      await writeFixtureDay(skip.path, "kalshi", DAY1, [
        { hhmm: "0000", records: trades },
        { hhmm: "0100", records: mixed },
      ]);
      const store = dirStore(skip.path);
      const tickers = readArchive(store, { feed: "kalshi", channels: ["ticker"] });
      const got = await collect(tickers);
      assert.deepEqual(
        got,
        mixed.filter((r) => r.subject.includes(".json.ticker.")),
      );
      assert.equal(tickers.stats.files, 1);
      const early = readArchive(store, { feed: "kalshi", toUs: trades.at(-1)!.rt + 1 });
      assert.deepEqual(await collect(early), trades);
      assert.equal(early.stats.files, 1);
    } finally {
      await skip.cleanup();
    }
  });

  test("stopping early closes the file; close() during a pending next() resolves done", async () => {
    const reader = readArchive(dirStore(root.path), { feed: "kalshi" });
    let seen = 0;
    for await (const _ of reader) if (++seen === 10) break;
    assert.equal(seen, 10);
    assert.ok(reader.stats.files <= 1);
    const second = readArchive(dirStore(root.path), { feed: "kalshi" });
    const pending = second.next();
    await second.close();
    assert.equal((await pending).done, true);
    assert.equal((await second.next()).done, true);
  });

  test("bad lines and torn files are counted and skipped; foreign key order still reads", async () => {
    const bad = await tempDir("ssmd-reader-bad-");
    try {
      const records = fixtureRecords(dayStartUs(DAY1), 20);
      const foreign = `{"seq":${records[1]!.seq},"msg":${records[1]!.msg},"rt":${records[1]!.rt},"subject":"${records[1]!.subject}"}\n`;
      const text = archiveLine(records[0]!) + foreign + "not json at all\n" + archiveLine(records[2]!);
      await writeFixtureDay(bad.path, "kalshi", DAY1, [{ hhmm: "0000", records: [] }]);
      await writeFile(join(bad.path, "kalshi", DAY1, "0000.jsonl.gz"), gzipSync(text));
      const torn = gzipSync(records.slice(3).map(archiveLine).join(""));
      await writeFile(join(bad.path, "kalshi", DAY1, "0015.jsonl.gz"), torn.subarray(0, torn.length - 30));
      await writeFile(join(bad.path, "kalshi", DAY1, "0030.jsonl.gz"), gzipSync(archiveLine(records[19]!)));
      const badLines: string[] = [];
      const reader = readArchive(
        dirStore(bad.path),
        { feed: "kalshi" },
        { onBadLine: (_, l) => badLines.push(l) },
      );
      const got = await collect(reader);
      assert.deepEqual(got.slice(0, 3), [
        records[0],
        { ...records[1]!, msg: JSON.stringify(JSON.parse(records[1]!.msg)) },
        records[2],
      ]);
      assert.deepEqual(got.at(-1), records[19]);
      assert.deepEqual(badLines, ["not json at all"]);
      assert.equal(reader.stats.badLines, 1);
      assert.deepEqual(reader.stats.corruptFiles, [`kalshi/${DAY1}/0015.jsonl.gz`]);
    } finally {
      await bad.cleanup();
    }
  });
});
