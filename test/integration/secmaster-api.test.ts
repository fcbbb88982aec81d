/**
 * The secmaster's /v1/markets, /v1/events, /v1/series routes mounted in the real data API over
 * HTTP, and the Redis market cache (real Redis on 6379, a unique key prefix per run).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { connectRedisCache, type KeyValueCache } from "../../src/adapters/cache/redis-cache.js";
import { openDb } from "../../src/adapters/db/open-db.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createDataApi, type DataApi } from "../../src/components/data-api/data-api.js";
import { EVENTS, MARKETS, SERIES } from "../../src/components/secmaster/entity-specs.js";
import { secmasterRoutes } from "../../src/components/secmaster/http-routes.js";
import { MarketCache } from "../../src/components/secmaster/market-cache.js";
import { createSecmasterMetrics } from "../../src/components/secmaster/metrics.js";
import { SecmasterStore } from "../../src/components/secmaster/secmaster-store.js";
import { UnavailableError } from "../../src/core/errors.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { eventOf, marketOf, seriesOf } from "../helpers/secmaster-fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const KEY = "secmaster-key";
const T0 = Date.parse("2026-11-21T10:00:00Z");

type View = Record<string, string | null>;
/** The response shapes these routes answer with (checked by the assertions below). */
interface ApiBody {
  markets: View[];
  events: View[];
  series: View[];
  changes: View[];
  error: View;
  cursor: string | null;
  yes_bid: string | null;
  series_ticker: string | null;
}

function get(
  api: DataApi,
  path: string,
  key: string | null = KEY,
): Promise<{ status: number; body: ApiBody }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: api.port, path, headers: key ? { "x-api-key": key } : {} },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ApiBody }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("secmaster HTTP routes and cache", () => {
  let database: TestDatabase;
  let store: SecmasterStore;
  let api: DataApi;
  let archive: { path: string; cleanup(): Promise<void> };

  before(async () => {
    database = await createTestDatabase("ssmd_secmaster_api");
    store = new SecmasterStore(await openDb(database.url));
    await store.apply(SERIES, [seriesOf("APIA", "Crypto"), seriesOf("APIB", "Economics")], {
      source: "sync",
      atMs: T0,
    });
    await store.apply(EVENTS, [eventOf("APIA-26NOV21", "Crypto"), eventOf("APIB-26NOV21", "Economics")], {
      source: "sync",
      atMs: T0,
    });
    await store.apply(
      MARKETS,
      [
        ...[1, 2, 3].map((i) => marketOf(`APIA-26NOV21-T${i}`, {}, "Crypto")),
        marketOf("APIB-26NOV21-T1", { status: "finalized", result: "no" }, "Economics"),
      ],
      { source: "sync", atMs: T0 },
    );
    await store.apply(MARKETS, [marketOf("APIA-26NOV21-T1", { yes_bid_dollars: "0.9900" }, "Crypto")], {
      source: "sync",
      atMs: T0 + 60_000,
    });
    archive = await tempDir("ssmd-secmaster-api-");
    api = createDataApi(
      { host: "127.0.0.1", port: 0, apiKey: KEY, exchangesDir: archive.path, gitEnv: {}, version: "test" },
      { store: createLocalStore(archive.path), logger: silentLogger, extraRoutes: secmasterRoutes(store) },
    );
    await api.start();
  });
  after(async () => {
    await api.stop();
    await store.db.close();
    await database.drop();
    await archive.cleanup();
  });

  test("/v1/markets filters and pages with a cursor; prices are exact strings", async () => {
    const first = await get(api, "/v1/markets?status=open&category=Crypto&limit=2");
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.markets.map((m) => m.ticker),
      ["APIA-26NOV21-T1", "APIA-26NOV21-T2"],
    );
    assert.equal(first.body.markets[0]?.yes_bid, "0.9900");
    const second = await get(
      api,
      `/v1/markets?status=open&category=Crypto&limit=2&cursor=${first.body.cursor}`,
    );
    assert.deepEqual(
      second.body.markets.map((m) => m.ticker),
      ["APIA-26NOV21-T3"],
    );
    assert.equal(second.body.cursor, null);
    const settled = await get(api, "/v1/markets?status=settled&series=APIB");
    assert.deepEqual(
      settled.body.markets.map((m) => m.result),
      ["no"],
    );
    assert.equal((await get(api, "/v1/markets?event=APIA-26NOV21")).body.markets.length, 3);
    assert.equal((await get(api, "/v1/markets?limit=abc")).status, 400);
  });

  test("/v1/markets/{ticker}: current, as_of, history, and 404 with a suggestion", async () => {
    const now = await get(api, "/v1/markets/APIA-26NOV21-T1");
    assert.equal(now.body.yes_bid, "0.9900");
    const then = await get(api, "/v1/markets/APIA-26NOV21-T1?as_of=2026-11-21T10:00:30Z");
    assert.equal(then.body.yes_bid, "0.4500");
    const history = await get(api, "/v1/markets/APIA-26NOV21-T1/history");
    assert.deepEqual(
      history.body.changes.map((c) => c.field),
      ["_added", "yes_bid"],
    );
    const missing = await get(api, "/v1/markets/APIA-26NOV21-T4");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "NOT_FOUND");
    assert.match(String(missing.body.error.message), /Did you mean 'APIA-26NOV21-T/);
    assert.equal((await get(api, "/v1/markets/APIA-26NOV21-T1?as_of=yesterday")).status, 400);
  });

  test("/v1/events, /v1/events/{ticker} with its markets, /v1/series; the key is required", async () => {
    const events = await get(api, "/v1/events?category=Economics");
    assert.deepEqual(
      events.body.events.map((e) => e.event_ticker),
      ["APIB-26NOV21"],
    );
    const event = await get(api, "/v1/events/APIA-26NOV21");
    assert.equal(event.body.series_ticker, "APIA");
    assert.equal(event.body.markets.length, 3);
    const series = await get(api, "/v1/series?category=Crypto");
    assert.deepEqual(
      series.body.series.map((s) => s.ticker),
      ["APIA"],
    );
    assert.equal((await get(api, "/v1/markets", null)).status, 401);
  });

  test("Redis cache: read-through by ticker, invalidated by a change, a dead cache falls back", async () => {
    const prefix = `ssmd-test:${randomBytes(4).toString("hex")}:`;
    const kv: KeyValueCache = await connectRedisCache({ url: "redis://127.0.0.1:6379", keyPrefix: prefix });
    const metrics = createSecmasterMetrics();
    const cache = new MarketCache(kv, metrics, silentLogger);
    const cached = new SecmasterStore(store.db, { cache, metrics });
    try {
      assert.equal((await cached.market("APIA-26NOV21-T2")).yes_bid, "0.4500");
      assert.ok(await kv.get("market:APIA-26NOV21-T2"), "stored in Redis");
      await cached.market("APIA-26NOV21-T2");
      const counts = async () =>
        (await metrics.registry.getSingleMetricAsString("ssmd_secmaster_cache_lookups_total")).trim();
      assert.match(await counts(), /result="hit"\} 1/);
      await cached.apply(MARKETS, [marketOf("APIA-26NOV21-T2", { yes_bid_dollars: "0.1200" }, "Crypto")], {
        source: "sync",
        atMs: T0 + 120_000,
      });
      assert.equal(await kv.get("market:APIA-26NOV21-T2"), undefined, "invalidated by the change");
      assert.equal((await cached.market("APIA-26NOV21-T2")).yes_bid, "0.1200");
    } finally {
      await kv.delete(["market:APIA-26NOV21-T2"]);
      await cache.close();
    }
    assert.equal(
      (await cached.market("APIA-26NOV21-T3")).ticker,
      "APIA-26NOV21-T3",
      "closed cache: database answers",
    );
    assert.match(
      await metrics.registry.getSingleMetricAsString("ssmd_secmaster_cache_lookups_total"),
      /result="error"\} [1-9]/,
    );
    await assert.rejects(
      connectRedisCache({ url: "redis://127.0.0.1:1", keyPrefix: prefix }),
      UnavailableError,
    );
  });
});
