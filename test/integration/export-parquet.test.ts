import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { dayStartUs } from "../../src/adapters/archive-reader/archive-layout.js";
import { writeExports } from "../../src/components/export/duckdb-export.js";
import { runQuery } from "../../src/components/export/sql-query.js";
import { stageDays } from "../../src/components/export/staging.js";
import type { StreamRecord } from "../../src/core/record.js";
import { dirStore, fixtureRecords, gapRecord, writeFixtureDay } from "../helpers/data-archive.js";
import { tempDir } from "../helpers/tmp.js";

const DATE = "2026-11-20";

async function readBack(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

interface TradeFrame {
  msg: {
    trade_id: string;
    market_ticker: string;
    yes_price_dollars: string;
    no_price_dollars: string;
    count_fp: string;
    taker_outcome_side: string;
    ts: number;
  };
}

describe("export to Parquet/CSV and SQL views", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let records: StreamRecord[];

  before(async () => {
    dir = await tempDir("ssmd-export-");
    records = fixtureRecords(dayStartUs(DATE) + 3_600_000_000, 700);
    records.push(gapRecord(records.at(-1)!.rt + 5, 701));
    await writeFixtureDay(join(dir.path, "archive"), "kalshi", DATE, [{ hhmm: "0100", records }]);
  });
  after(() => dir.cleanup());

  const stage = () =>
    stageDays({
      store: dirStore(join(dir.path, "archive")),
      feed: "kalshi",
      dates: [DATE],
      types: ["trade", "ticker", "orderbook", "lifecycle"],
      dir: dir.path,
    });

  test("trade Parquet matches the archived frames exactly (decimals, ticker, side, ids, times)", async () => {
    const staged = await stage();
    assert.equal(staged.parseErrors, 0);
    const files = await writeExports(staged.days, "kalshi", "parquet", join(dir.path, "out"));
    assert.equal(files.length, 4);
    const path = join(dir.path, "out", "kalshi", DATE, "trade.parquet");
    const rows = await readBack(`SELECT * FROM read_parquet('${path}')`);
    const trades = records.filter((r) => r.subject.includes(".json.trade."));
    assert.equal(rows.length, trades.length);
    const schema = await readBack(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    const typeOf = Object.fromEntries(schema.map((c) => [c.column_name, c.column_type]));
    assert.equal(typeOf.yes_price, "DECIMAL(18,4)");
    assert.equal(typeOf.size, "DECIMAL(18,2)");
    assert.equal(typeOf.rt, "TIMESTAMP");
    trades.forEach((record, i) => {
      const frame = JSON.parse(record.msg) as TradeFrame;
      const row = rows[i]!;
      assert.equal(row.trade_id, frame.msg.trade_id);
      assert.equal(row.ticker, frame.msg.market_ticker);
      assert.equal(row.yes_price, frame.msg.yes_price_dollars);
      assert.equal(row.no_price, frame.msg.no_price_dollars);
      assert.equal(row.size, frame.msg.count_fp);
      assert.equal(row.side, frame.msg.taker_outcome_side);
      assert.equal(row.stream_seq, String(record.seq));
      const rtIso = new Date(Math.floor(record.rt / 1000)).toISOString().replace("T", " ").replace("Z", "");
      assert.ok(String(row.rt).startsWith(rtIso.slice(0, 19)));
      assert.equal(
        row.ts,
        new Date(frame.msg.ts * 1000).toISOString().replace("T", " ").replace(".000Z", ""),
      );
    });
  });

  test("orderbook rows: one per snapshot level plus one per delta; CSV export has a header", async () => {
    const staged = await stage();
    await writeExports(staged.days, "kalshi", "csv", join(dir.path, "csv"));
    const text = await readFile(join(dir.path, "csv", "kalshi", DATE, "orderbook.csv"), "utf8");
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "rt,stream_seq,ts,ticker,kind,side,price,size,sid,seq");
    let expected = 0;
    for (const record of records) {
      if (!record.subject.includes(".json.orderbook.")) continue;
      const frame = JSON.parse(record.msg) as {
        type: string;
        msg: { yes_dollars_fp?: unknown[]; no_dollars_fp?: unknown[] };
      };
      expected +=
        frame.type === "orderbook_delta"
          ? 1
          : (frame.msg.yes_dollars_fp?.length ?? 0) + (frame.msg.no_dollars_fp?.length ?? 0);
    }
    assert.equal(lines.length - 1, expected);
  });

  test("staging one type reads only that channel's records", async () => {
    const staged = await stageDays({
      store: dirStore(join(dir.path, "archive")),
      feed: "kalshi",
      dates: [DATE],
      types: ["trade"],
      dir: dir.path,
    });
    const trades = records.filter((r) => r.subject.includes(".json.trade."));
    assert.ok(trades.length > 0 && trades.length < records.length);
    assert.equal(staged.records, trades.length);
    assert.deepEqual(Object.keys(staged.days[0]!.files), ["trade"]);
    assert.equal(staged.days[0]!.rows.trade, trades.length);
  });

  test("SQL views answer with exact decimals; a bad query is a validation error", async () => {
    const staged = await stage();
    const result = await runQuery(
      staged.days,
      "SELECT ticker, count(*) AS n, sum(size) AS volume FROM trades GROUP BY ticker ORDER BY ticker",
    );
    assert.deepEqual(result.columns, ["ticker", "n", "volume"]);
    const trades = records.filter((r) => r.subject.includes(".json.trade."));
    for (const row of result.rows) {
      const mine = trades
        .map((r) => (JSON.parse(r.msg) as TradeFrame).msg)
        .filter((m) => m.market_ticker === row.ticker);
      assert.equal(row.n, String(mine.length));
      const cents = mine.reduce((sum, m) => sum + Math.round(Number(m.count_fp) * 100), 0);
      assert.equal(row.volume, (cents / 100).toFixed(2));
    }
    await assert.rejects(runQuery(staged.days, "SELECT nope FROM trades"), { code: "VALIDATION" });
  });
});
