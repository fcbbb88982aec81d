/**
 * The lifecycle stream applied live: simulator → real connector → real JetStream → the
 * secmaster's LifecycleApplier. After a sync and then only lifecycle messages, the secmaster
 * must agree with the exchange's REST view of every market, with history and change events.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { connectRedisCache } from "../../src/adapters/cache/redis-cache.js";
import { openDb } from "../../src/adapters/db/open-db.js";
import { KalshiRestClient } from "../../src/adapters/kalshi/rest-client.js";
import { silentLogger } from "../../src/adapters/log.js";
import { CacheFollower } from "../../src/components/secmaster/cache-follower.js";
import { busChangeSink } from "../../src/components/secmaster/change-events.js";
import { MARKETS } from "../../src/components/secmaster/entity-specs.js";
import { LifecycleApplier } from "../../src/components/secmaster/lifecycle-applier.js";
import { MarketCache } from "../../src/components/secmaster/market-cache.js";
import { createSecmasterMetrics } from "../../src/components/secmaster/metrics.js";
import { SecmasterStore } from "../../src/components/secmaster/secmaster-store.js";
import { runSync } from "../../src/components/secmaster/sync.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { readStream } from "./connector-check.js";
import { type Pipeline, sleep, startPipeline, until } from "./connector-harness.js";

describe("secmaster applies the connector's lifecycle stream live", () => {
  let nats: TestNatsServer;
  let pipeline: Pipeline;
  let database: TestDatabase;
  let store: SecmasterStore;
  let applier: LifecycleApplier;

  before(async () => {
    nats = await startNatsServer();
    pipeline = await startPipeline(nats.url, { markets: 8, rate: 0, lifecycleIntervalMs: 500 });
    database = await createTestDatabase("ssmd_secmaster_live");
    const metrics = createSecmasterMetrics();
    const sink = busChangeSink(pipeline.bus, pipeline.prefix, silentLogger, metrics);
    store = new SecmasterStore(await openDb(database.url), { metrics, sink });
    const client = new KalshiRestClient({ baseUrl: pipeline.sim.restUrl });
    await runSync({ store, client, now: Date.now, logger: silentLogger });
    applier = new LifecycleApplier(
      { stream: pipeline.stream, prefix: pipeline.prefix, durable: "secmaster-live-test", clockCheckMs: 0 },
      { bus: pipeline.bus, store, logger: silentLogger, now: Date.now },
    );
    await applier.start();
  });
  after(async () => {
    await applier.stop();
    await pipeline.stop();
    await pipeline.bus.close();
    await store.db.close();
    await database.drop();
    await nats.cleanup();
  });

  test("markets created, determined and settled on the exchange are current without another sync", async () => {
    const initial = new Set(pipeline.sim.marketTickers());
    for (let batch = 0; batch < 30; batch++) {
      pipeline.sim.step(100);
      await sleep(20);
    }
    const client = new KalshiRestClient({ baseUrl: pipeline.sim.restUrl });
    const rest = new Map<string, string>();
    for await (const market of client.markets({ limit: 1000 }))
      rest.set(market.ticker, String(market.status));
    const lifecycleCount = async () =>
      (await readStream(pipeline.bus, pipeline.stream)).filter((m) => m.subject.includes(".json.lifecycle."))
        .length;
    const expected = await lifecycleCount();
    assert.ok(expected > 10, `lifecycle messages flowed (${expected})`);
    await until(() => applier.stats.applied >= expected, 15_000, "every lifecycle message applied");
    const stored = new Map(
      (await store.listMarkets({ limit: 1000 })).items.map((m) => [String(m.ticker), String(m.status)]),
    );
    assert.deepEqual(stored, rest, "secmaster statuses equal the exchange's");
    assert.equal(applier.stats.invalid, 0);

    const created = [...rest.keys()].find((ticker) => !initial.has(ticker));
    assert.ok(created, "the simulator listed a new market");
    const market = await store.market(created);
    assert.ok(
      market.event_ticker && market.series_ticker && market.category,
      "new market has event, series, category",
    );
    assert.ok(market.open_time && market.close_time && market.price_level_structure);
    await store.event(market.event_ticker);
    const settled = [...rest].find(([, status]) => status === "finalized")?.[0];
    assert.ok(settled);
    const sources = (await store.history("market", settled)).map((h) => h.source);
    assert.ok(
      sources.includes("lifecycle:determined") && sources.includes("lifecycle:settled"),
      sources.join(","),
    );
    const lifecycle = await store.lifecycleOf(settled);
    assert.deepEqual(
      lifecycle.map((l) => l.eventType),
      ["determined", "settled"],
    );
    const events = (await readStream(pipeline.bus, pipeline.stream)).filter((m) =>
      m.subject.startsWith(`${pipeline.prefix}.secmaster.`),
    );
    assert.ok(
      events.some(
        (m) => m.text.includes(`"ticker":"${settled}"`) && m.text.includes('"source":"lifecycle:settled"'),
      ),
    );
  });

  test("a malformed lifecycle frame is counted and acked, and the next one still applies", async () => {
    const before = applier.stats.invalid;
    const subject = `${pipeline.prefix}.json.lifecycle.BROKEN`;
    await pipeline.bus.publish(
      subject,
      new TextEncoder().encode('{"type":"market_lifecycle_v2","msg":{"event_type":7}}'),
    );
    const ticker = pipeline.sim.marketTickers()[0]!;
    const frame = {
      type: "market_lifecycle_v2",
      sid: 99,
      msg: { market_ticker: ticker, event_type: "close_date_updated", close_ts: 1_900_000_000 },
    };
    await pipeline.bus.publish(
      `${pipeline.prefix}.json.lifecycle.${ticker}`,
      new TextEncoder().encode(JSON.stringify(frame)),
    );
    await until(
      async () => (await store.market(ticker)).close_time === "2030-03-17T17:46:40.000Z",
      10_000,
      "close date applied",
    );
    assert.equal(applier.stats.invalid, before + 1);
  });

  test("a restarted watcher resumes its durable consumer: messages published while it was down apply", async () => {
    await applier.stop();
    const ticker = pipeline.sim.marketTickers()[2]!;
    const frame = {
      type: "market_lifecycle_v2",
      sid: 98,
      msg: { market_ticker: ticker, event_type: "close_date_updated", close_ts: 1_910_000_000 },
    };
    await pipeline.bus.publish(
      `${pipeline.prefix}.json.lifecycle.${ticker}`,
      new TextEncoder().encode(JSON.stringify(frame)),
    );
    applier = new LifecycleApplier(
      { stream: pipeline.stream, prefix: pipeline.prefix, durable: "secmaster-live-test", clockCheckMs: 0 },
      { bus: pipeline.bus, store, logger: silentLogger, now: Date.now },
    );
    await applier.start();
    await until(
      async () => (await store.market(ticker)).close_time === "2030-07-11T11:33:20.000Z",
      10_000,
      "applied after restart",
    );
  });

  test("a cache in another process is invalidated by the change events", async () => {
    const kv = await connectRedisCache({
      url: "redis://127.0.0.1:6379",
      keyPrefix: `ssmd-test:${randomBytes(4).toString("hex")}:`,
    });
    const cache = new MarketCache(kv, createSecmasterMetrics(), silentLogger);
    const follower = new CacheFollower(
      { stream: pipeline.stream, prefix: pipeline.prefix },
      { bus: pipeline.bus, cache, logger: silentLogger },
    );
    await follower.start();
    try {
      const ticker = pipeline.sim.marketTickers()[1]!;
      await cache.put(await store.market(ticker));
      assert.ok(await cache.get(ticker), "cached");
      // `store` has no cache: only the change event it publishes can reach this one.
      await store.apply(MARKETS, [{ key: ticker, values: { close_time: "2031-01-01T00:00:00.000Z" } }], {
        source: "test",
        atMs: Date.now(),
        partial: true,
      });
      await until(async () => (await cache.get(ticker)) === undefined, 10_000, "cache entry dropped");
      assert.ok(follower.invalidated >= 1);
    } finally {
      await follower.stop();
      await cache.close();
    }
  });
});
