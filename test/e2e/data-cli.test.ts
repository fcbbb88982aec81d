/**
 * `ssmd data ...` through the real CLI binary, on an archive written by the real archiver from
 * simulator traffic (sim → connector → archiver). Run `npm run build` first.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import { buildSimArchive, type SimArchive } from "../helpers/data-sim-archive.js";
import { waitForPort } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

interface Line {
  rt: number;
  seq: number;
  subject: string;
  msg: { type: string; msg: Record<string, unknown> };
}

async function archiveText(archive: SimArchive): Promise<string> {
  let text = "";
  for (const date of archive.dates) {
    const dir = join(archive.root, archive.feed, date);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".jsonl.gz")).sort()) {
      text += gunzipSync(await readFile(join(dir, name))).toString("utf8");
    }
  }
  return text;
}

describe("ssmd data CLI on a real archive", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let archive: SimArchive;
  let text: string;
  let lines: Line[];
  let date: string;
  let env: Record<string, string>;
  const data = (...args: string[]) => runSsmd(["data", ...args], { env, cwd: dir.path });

  before(async () => {
    dir = await tempDir("ssmd-data-cli-");
    archive = await buildSimArchive(dir.path, 2500, 21);
    text = await archiveText(archive);
    lines = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Line);
    date = archive.dates.at(-1)!;
    env = { SSMD_DATA_PATH: archive.root };
  });
  after(() => dir.cleanup());

  test("list and inventory show the day", async () => {
    const list = await data("list", "--json");
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { date: string; records: number; files: number }[];
    assert.deepEqual(
      rows.map((r) => r.date),
      archive.dates,
    );
    assert.equal(
      rows.reduce((sum, r) => sum + (r.records ?? 0), 0),
      lines.length,
    );
    const inventory = await data("inventory", "--feed", "kalshi");
    assert.equal(inventory.code, 0, inventory.stderr);
    assert.match(inventory.stdout, /^Date\s+Raw\s+Normalized\s+Status\s+Quality\s+Gaps/);
    assert.match(inventory.stdout, new RegExp(`${date}\\s+${lines.length} msgs`));
    const none = await data("inventory", "--status", "complete", "--json");
    assert.deepEqual(JSON.parse(none.stdout), []);
  });

  test("a date without data says so and names the latest date; a missing root is a config error", async () => {
    const missing = await data("tickers", "kalshi", "2020-01-01");
    assert.equal(missing.code, 1);
    assert.match(
      missing.stderr,
      new RegExp(`no data for feed 'kalshi' on 2020-01-01\\. The latest available date is ${date}`),
    );
    const typo = await data("quality", "--feed", "kalshu", "--date", date);
    assert.match(typo.stderr, /Did you mean 'kalshi'/);
    const noRoot = await runSsmd(["data", "list"], { env: { SSMD_DATA_PATH: "" }, cwd: dir.path });
    assert.equal(noRoot.code, 5);
    assert.match(noRoot.stderr, /--path|SSMD_DATA_PATH/);
    const flag = await runSsmd(["data", "list", "--path", archive.root, "--json"], { cwd: dir.path });
    assert.equal(flag.code, 0);
  });

  test("tickers count every market-data line; sample filters by type and ticker", async () => {
    const tickers = JSON.parse((await data("tickers", "kalshi", date, "--json")).stdout) as {
      ticker: string;
      records: number;
    }[];
    const dataLines = lines.filter((l) => l.subject.includes(".json."));
    assert.equal(
      tickers.reduce((sum, t) => sum + t.records, 0),
      dataLines.length,
    );
    const trade = lines.find((l) => l.msg.type === "trade")!;
    const ticker = String(trade.msg.msg.market_ticker);
    const sample = await data(
      "sample",
      "kalshi",
      date,
      "--type",
      "trade",
      "--ticker",
      ticker,
      "--limit",
      "3",
      "--json",
    );
    assert.equal(sample.code, 0, sample.stderr);
    const records = JSON.parse(sample.stdout) as Line[];
    const expected = lines
      .filter((l) => l.msg.type === "trade" && l.msg.msg.market_ticker === ticker)
      .slice(0, 3);
    assert.deepEqual(records, expected);
  });

  test("schema, builders, gaps and quality", async () => {
    const schema = await data("schema", "kalshi", "orderbook_delta");
    assert.equal(schema.code, 0);
    assert.match(schema.stdout, /msg\.delta_fp/);
    const builders = JSON.parse((await data("builders", "--json")).stdout) as { name: string }[];
    assert.deepEqual(
      builders.map((b) => b.name),
      ["trade", "ticker", "orderbook", "lifecycle", "replay"],
    );
    const gaps = JSON.parse((await data("gaps", "--date", date, "--json")).stdout) as {
      manifest: boolean;
      gaps: unknown[];
    };
    assert.equal(gaps.manifest, true);
    assert.deepEqual(gaps.gaps, []);
    const quality = JSON.parse((await data("quality", "--date", date, "--json")).stdout) as Record<
      string,
      number
    >;
    assert.equal(quality.records, lines.length);
    assert.equal(quality.duplicates, 0);
    assert.equal(quality.parse_errors, 0);
    assert.equal(quality.out_of_order, 0);
    assert.equal(quality.sequence_gaps, 0);
    assert.equal(quality.crossed_books, 0);
  });

  test("replay --to stdout --speed max reproduces the archive byte for byte; filters apply", async () => {
    const all = await data("replay", "--date", date, "--speed", "max", "--to", "stdout");
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, text);
    const ticker = String(lines.find((l) => l.msg.type === "trade")!.msg.msg.market_ticker);
    const some = await data(
      "replay",
      "--date",
      date,
      "--speed",
      "max",
      "--symbol",
      ticker,
      "--type",
      "trade",
      "--to",
      "stdout",
    );
    const expected = lines.filter((l) => l.msg.type === "trade" && l.msg.msg.market_ticker === ticker).length;
    assert.equal(some.stdout.trim().split("\n").length, expected);
    const twoTargets = await data("replay", "--date", date, "--to", "stdout", "--to", "nats");
    assert.equal(twoTargets.code, 1);
  });

  test("export Parquet is read back by DuckDB equal to the archived trades; query answers SQL", async () => {
    const out = join(dir.path, "export");
    const result = await data("export", "--date", date, "--type", "trade,orderbook", "--out", out, "--json");
    assert.equal(result.code, 0, result.stderr);
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    try {
      const path = join(out, "kalshi", date, "trade.parquet");
      const rows = (
        await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)
      ).getRowObjectsJson();
      const trades = lines.filter((l) => l.msg.type === "trade");
      assert.equal(rows.length, trades.length);
      trades.forEach((line, i) => {
        const m = line.msg.msg;
        const row = rows[i]!;
        assert.equal(row.trade_id, m.trade_id);
        assert.equal(row.ticker, m.market_ticker);
        assert.equal(row.yes_price, m.yes_price_dollars);
        assert.equal(row.no_price, m.no_price_dollars);
        assert.equal(row.size, m.count_fp);
        assert.equal(row.side, m.taker_outcome_side ?? m.taker_side);
        assert.equal(row.stream_seq, String(line.seq));
      });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    const query = await data(
      "query",
      "SELECT count(*) AS n, sum(size) AS volume FROM trades",
      "--date",
      date,
      "--json",
    );
    assert.equal(query.code, 0, query.stderr);
    const [row] = JSON.parse(query.stdout) as { n: string; volume: string }[];
    const trades = lines.filter((l) => l.msg.type === "trade");
    assert.equal(row!.n, String(trades.length));
    const hundredths = trades.reduce((sum, l) => sum + Math.round(Number(l.msg.msg.count_fp) * 100), 0);
    assert.equal(row!.volume, (hundredths / 100).toFixed(2));
  });

  test("data serve: env config, key required, SIGTERM drains and exits 0", async () => {
    const port = await freePort();
    const child = spawnSsmd(["data", "serve", "--host", "127.0.0.1"], {
      env: { ...env, SSMD_API_KEY: "k", SSMD_DATA_PORT: String(port) },
      cwd: dir.path,
    });
    try {
      await waitForPort(port, 10_000);
      const base = `http://127.0.0.1:${port}`;
      assert.equal((await fetch(`${base}/health`)).status, 200);
      assert.equal((await fetch(`${base}/datasets`)).status, 401);
      const datasets = (await (
        await fetch(`${base}/datasets`, { headers: { "x-api-key": "k" } })
      ).json()) as {
        datasets: { date: string }[];
      };
      assert.deepEqual(
        datasets.datasets.map((d) => d.date),
        archive.dates,
      );
      const stream = await (
        await fetch(`${base}/datasets/kalshi/${date}/stream`, { headers: { "x-api-key": "k" } })
      ).text();
      assert.equal(stream, text);
    } finally {
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      assert.equal(await exit, 0);
    }
    const noKey = await runSsmd(["data", "serve"], { env: { ...env, SSMD_API_KEY: "" }, cwd: dir.path });
    assert.equal(noKey.code, 5);
  });
});
