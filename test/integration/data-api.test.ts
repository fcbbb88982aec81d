import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { dayStartUs } from "../../src/adapters/archive-reader/archive-layout.js";
import { createLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createDataApi, type DataApi } from "../../src/components/data-api/data-api.js";
import type { StreamRecord } from "../../src/core/record.js";
import { initTree } from "../../src/metadata/bootstrap/init-tree.js";
import { archiveLine, fixtureRecords, gapRecord, writeFixtureDay } from "../helpers/data-archive.js";
import { tempDir } from "../helpers/tmp.js";

const KEY = "test-key-123";
const DATE = "2026-11-20";
const LATER = "2026-11-21";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(api: DataApi, path: string, key: string | null = KEY): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: api.port, path, headers: key ? { "x-api-key": key } : {} },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function getJson(api: DataApi, path: string, key: string | null = KEY) {
  const reply = await get(api, path, key);
  return {
    status: reply.status,
    json: JSON.parse(reply.body) as Record<string, unknown> & { error?: { code: string; message: string } },
  };
}

describe("data API", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let api: DataApi;
  let day1: StreamRecord[];
  let day2: StreamRecord[];

  before(async () => {
    dir = await tempDir("ssmd-data-api-");
    const root = join(dir.path, "data");
    day1 = fixtureRecords(dayStartUs(DATE) + 3_600_000_000, 1200);
    day1.push(gapRecord(day1.at(-1)!.rt + 10, 1201, "test.kalshi", ["KXFED-26DEC-H0"]));
    day2 = fixtureRecords(dayStartUs(LATER) + 60_000_000, 50_000, "test.kalshi", 9);
    await writeFixtureDay(root, "kalshi", DATE, [{ hhmm: "0100", records: day1 }]);
    await writeFixtureDay(root, "kalshi", LATER, [{ hhmm: "0000", records: day2 }]);
    const exchanges = join(dir.path, "exchanges");
    const gitEnv = {
      PATH: process.env.PATH,
      HOME: dir.path,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.com",
    };
    await initTree(exchanges, gitEnv);
    execFileSync("git", ["add", "-A"], { cwd: exchanges, env: gitEnv });
    execFileSync("git", ["commit", "-q", "-m", "init"], { cwd: exchanges, env: gitEnv });
    api = createDataApi(
      { host: "127.0.0.1", port: 0, apiKey: KEY, exchangesDir: exchanges, gitEnv, version: "test" },
      { store: createLocalStore(root), logger: createLogger("data-api", { level: "silent" }) },
    );
    await api.start();
  });
  after(async () => {
    await api.stop();
    await dir.cleanup();
  });

  test("/health needs no key; everything else answers 401 JSON without a valid key", async () => {
    assert.equal((await getJson(api, "/health", null)).status, 200);
    for (const path of ["/datasets", "/builders", "/openapi.json", "/metrics", "/nope"]) {
      const none = await getJson(api, path, null);
      assert.equal(none.status, 401, path);
      assert.equal(none.json.error?.code, "AUTH");
      assert.equal((await getJson(api, path, "wrong")).status, 401);
      assert.equal((await getJson(api, path, `${KEY}x`)).status, 401);
    }
    const metrics = (await get(api, "/metrics")).body;
    assert.match(metrics, /ssmd_data_requests_total\{route="\/health",status="200"\} 1/);
    assert.match(metrics, /ssmd_data_requests_total\{route="\/datasets",status="401"\} 3/);
    assert.match(metrics, /ssmd_data_requests_total\{route="\/metrics",status="401"\} 3/);
    assert.match(metrics, /ssmd_data_requests_total\{route="unmatched",status="401"\} 3/);
  });

  test("/datasets lists both days with manifest facts; filters by date", async () => {
    const { status, json } = await getJson(api, "/datasets?feed=kalshi");
    assert.equal(status, 200);
    const rows = json.datasets as { date: string; records: number; status: string }[];
    assert.deepEqual(
      rows.map((r) => [r.date, r.records]),
      [
        [DATE, 1201],
        [LATER, 50_000],
      ],
    );
    const dayDir = join(dir.path, "data", "kalshi", LATER);
    await writeFile(join(dayDir, "trade.parquet"), "not really parquet");
    await writeFile(join(dayDir, "notes.txt"), "neither archive nor export");
    const gz = (await readdir(dayDir)).filter((name) => name.endsWith(".jsonl.gz"));
    const gzBytes = (await Promise.all(gz.map((name) => stat(join(dayDir, name))))).reduce(
      (sum, s) => sum + s.size,
      0,
    );
    const later = (await getJson(api, `/datasets?from=${LATER}`)).json.datasets as {
      files: number;
      bytes: number;
      normalized: string[];
    }[];
    assert.equal(later.length, 1);
    assert.deepEqual(
      [later[0]!.files, later[0]!.bytes, later[0]!.normalized],
      [gz.length, gzBytes, ["trade"]],
    );
    assert.equal((await getJson(api, "/datasets?from=yesterday")).status, 400);
  });

  test("sample filters by ticker and type, caps the limit, validates params", async () => {
    const { json } = await getJson(
      api,
      `/datasets/kalshi/${DATE}/sample?ticker=KXBTCD-26NOV21-T67749.99&type=trade&limit=5`,
    );
    const records = json.records as {
      subject: string;
      msg: { type: string; msg: { market_ticker: string } };
    }[];
    assert.equal(records.length, 5);
    for (const r of records) {
      assert.equal(r.subject, "test.kalshi.json.trade.KXBTCD-26NOV21-T67749_99");
      assert.equal(r.msg.msg.market_ticker, "KXBTCD-26NOV21-T67749.99");
    }
    const big = await getJson(api, `/datasets/kalshi/${LATER}/sample?limit=999999`);
    assert.equal((big.json.records as unknown[]).length, 1000);
    for (const bad of ["limit=0", "limit=abc", "type=bogus", "ticker=a%20b", "from=99:99", "to=24:30"]) {
      const reply = await getJson(api, `/datasets/kalshi/${DATE}/sample?${bad}`);
      assert.equal(reply.status, 400, bad);
      assert.equal(reply.json.error?.code, "VALIDATION");
    }
  });

  test("a day without data says so and names the latest date; an unknown feed suggests one", async () => {
    const missing = await getJson(api, "/datasets/kalshi/2026-11-19/tickers");
    assert.equal(missing.status, 404);
    assert.match(missing.json.error!.message, /no data .* 2026-11-19.*latest available date is 2026-11-21/);
    const feed = await getJson(api, `/datasets/kalshy/${DATE}/tickers`);
    assert.equal(feed.status, 404);
    assert.match(feed.json.error!.message, /Did you mean 'kalshi'/);
    assert.equal((await getJson(api, "/datasets/kalshi/2026-02-30/tickers")).status, 400);
  });

  test("tickers of a day with counts per channel", async () => {
    const { json } = await getJson(api, `/datasets/kalshi/${DATE}/tickers`);
    const tickers = json.tickers as { ticker: string; records: number; channels: Record<string, number> }[];
    assert.deepEqual(tickers.map((t) => t.ticker).sort(), [
      "KXBTCD-26NOV21-T67749_99",
      "KXETHD-26NOV21-T3500",
      "KXFED-26DEC-H0",
    ]);
    const total = tickers.reduce((sum, t) => sum + t.records, 0);
    assert.equal(total, 1200);
    const trades = day1.filter((r) => r.subject === "test.kalshi.json.trade.KXFED-26DEC-H0").length;
    assert.equal(tickers.find((t) => t.ticker === "KXFED-26DEC-H0")!.channels.trade, trades);
  });

  test("no path escapes the data root: ../, encoded, double-encoded, absolute, backslash", async () => {
    const attempts = [
      "/datasets/../../etc/passwd/sample",
      `/datasets/..%2f..%2fetc/${DATE}/sample`,
      `/datasets/%2e%2e/${DATE}/tickers`,
      `/datasets/%252e%252e%252f/${DATE}/tickers`,
      `/datasets/kalshi/..%2F${DATE}/tickers`,
      "/datasets//etc/passwd/tickers",
      `/datasets/..%5c..%5c/${DATE}/tickers`,
      `/datasets/%2fetc%2fpasswd/${DATE}/stream`,
      `/schema/..%2f..%2f/trade`,
      `/datasets/kalshi/${DATE}%00/tickers`,
      "/datasets/%E0%A4%A/x/tickers",
    ];
    for (const path of attempts) {
      const reply = await get(api, path);
      assert.ok(reply.status === 400 || reply.status === 404, `${path} → ${reply.status}`);
      const body = JSON.parse(reply.body) as { error: { code: string; message: string } };
      assert.ok(body.error.code === "VALIDATION" || body.error.code === "NOT_FOUND", path);
      assert.doesNotMatch(reply.body, /root:|at .*\.ts/);
    }
  });

  test("schema, builders and the OpenAPI document", async () => {
    const schema = await getJson(api, "/schema/kalshi/trade");
    assert.equal(schema.status, 200);
    assert.equal(schema.json.channel, "trade");
    const columns = schema.json.columns as { name: string; type: string }[];
    assert.equal(columns.find((c) => c.name === "yes_price")?.type, "DECIMAL(18,4)");
    const unknown = await getJson(api, "/schema/kalshi/trad");
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.error!.message, /Did you mean 'trade'/);
    const builders = (await getJson(api, "/builders")).json.builders as { name: string }[];
    assert.ok(builders.some((b) => b.name === "orderbook"));
    const openapi = (await getJson(api, "/openapi.json")).json as {
      openapi: string;
      paths: Record<string, { get: { security?: unknown[] } }>;
    };
    assert.equal(openapi.openapi, "3.1.0");
    assert.ok(openapi.paths["/datasets/{feed}/{date}/stream"]);
    const keyless = Object.entries(openapi.paths).filter(([, item]) => item.get.security?.length === 0);
    assert.deepEqual(
      keyless.map(([path]) => path),
      ["/health"],
      "the document marks keyless exactly the routes served without a key",
    );
  });

  test("metadata routes: feeds, schemas, environments, history, inventory, gaps", async () => {
    const feeds = (await getJson(api, "/v1/meta/feeds")).json.feeds as { name: string }[];
    assert.ok(feeds.some((f) => f.name === "kalshi"));
    assert.equal((await getJson(api, "/v1/meta/feeds/kalshi")).json.name, "kalshi");
    const wrong = await getJson(api, "/v1/meta/feeds/kalsh");
    assert.equal(wrong.status, 404);
    assert.match(wrong.json.error!.message, /Did you mean/);
    const schemas = (await getJson(api, "/v1/meta/schemas")).json.schemas as {
      name: string;
      versions: { version: string }[];
    }[];
    assert.ok(schemas.length > 0);
    const first = schemas[0]!;
    const version = await getJson(api, `/v1/meta/schemas/${first.name}/${first.versions[0]!.version}`);
    assert.equal(version.status, 200);
    const envs = (await getJson(api, "/v1/meta/environments")).json.environments as { name: string }[];
    assert.ok(envs.some((e) => e.name === "kalshi-sim"));
    const history = await getJson(api, "/v1/meta/environments/kalshi-sim/history");
    assert.equal((history.json.versions as unknown[]).length, 1);
    const inventory = (await getJson(api, "/v1/meta/inventory?feed=kalshi")).json.inventory as {
      date: string;
      gaps: number;
    }[];
    assert.deepEqual(
      inventory.map((row) => [row.date, row.gaps]),
      [
        [DATE, 1],
        [LATER, 0],
      ],
    );
    const day = await getJson(api, `/v1/meta/inventory/kalshi/${DATE}`);
    assert.equal((day.json.manifest as { records: number }).records, 1201);
    const gaps = await getJson(api, "/v1/meta/gaps/kalshi");
    assert.equal(gaps.json.count, 1);
  });

  test("/stream sends the archive lines as NDJSON, filtered", async () => {
    const all = await get(api, `/datasets/kalshi/${DATE}/stream`);
    assert.equal(all.status, 200);
    assert.match(String(all.headers["content-type"]), /application\/x-ndjson/);
    assert.equal(all.body, day1.map(archiveLine).join(""));
    const from = new Date(Math.floor(day1[100]!.rt / 1000)).toISOString();
    const filtered = await get(
      api,
      `/datasets/kalshi/${DATE}/stream?type=orderbook&ticker=KXETHD-26NOV21-T3500&from=${from}`,
    );
    const expected = day1.filter(
      (r) =>
        r.rt >= day1[100]!.rt &&
        (r.subject === "test.kalshi.json.orderbook.KXETHD-26NOV21-T3500" ||
          r.subject.endsWith(".status.gap")),
    );
    const gapWanted = expected.filter((r) => r.subject.endsWith(".status.gap"));
    assert.equal(gapWanted.length, 1);
    assert.equal(
      filtered.body,
      expected
        .filter((r) => !r.subject.endsWith(".status.gap"))
        .map(archiveLine)
        .join(""),
    );
  });

  test("/stream respects backpressure from a slow client and stops when the client leaves", async () => {
    const totalBytes = day2.map(archiveLine).join("").length;
    const bytesSent = async () => {
      const text = (await get(api, "/metrics")).body;
      const line = text.split("\n").find((l) => l.startsWith('ssmd_data_stream_bytes_total{feed="kalshi"}'));
      return line ? Number(line.split(" ")[1]) : 0;
    };
    const before = await bytesSent();
    await new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: api.port,
          path: `/datasets/kalshi/${LATER}/stream`,
          headers: { "x-api-key": KEY },
        },
        (res) => {
          res.pause();
          setTimeout(async () => {
            try {
              // wait until the server stops writing (socket buffers full), however slow the machine
              let sent = (await bytesSent()) - before;
              for (let i = 0; i < 40; i++) {
                await new Promise((r) => setTimeout(r, 250));
                const now = (await bytesSent()) - before;
                if (now === sent && now > 0) break;
                sent = now;
              }
              assert.ok(
                sent < totalBytes * 0.8,
                `server wrote ${sent} of ${totalBytes} bytes for a paused client`,
              );
              await new Promise((r) => setTimeout(r, 300));
              assert.equal((await bytesSent()) - before, sent, "the server kept writing to a paused client");
              req.destroy();
              const deadline = Date.now() + 5000;
              let aborted = "";
              while (Date.now() < deadline) {
                aborted = (await get(api, "/metrics")).body;
                if (/ssmd_data_streams_aborted_total\{feed="kalshi"\} 1/.test(aborted)) break;
                await new Promise((r) => setTimeout(r, 100));
              }
              assert.match(aborted, /ssmd_data_streams_aborted_total\{feed="kalshi"\} 1/);
              resolve();
            } catch (error) {
              reject(error);
            }
          }, 200);
        },
      );
      req.on("error", () => {});
      req.end();
    });
    const full = await get(api, `/datasets/kalshi/${LATER}/stream`);
    assert.equal(full.body.length, totalBytes);
    assert.equal(full.body.split("\n").length - 1, 50_000);
  });
});
