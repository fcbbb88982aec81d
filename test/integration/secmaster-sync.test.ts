/**
 * `secmaster sync` against the simulator's REST API: full and incremental syncs while the
 * simulator's lifecycle moves markets through their states, change events on a real NATS
 * JetStream, dry runs, 429 faults slowing the sync down, and an interrupted sync converging.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { openDb } from "../../src/adapters/db/open-db.js";
import { KalshiRestClient } from "../../src/adapters/kalshi/rest-client.js";
import type { FetchLike } from "../../src/adapters/kalshi/rest-http.js";
import { silentLogger } from "../../src/adapters/log.js";
import { resolveConnectorConfig } from "../../src/components/connector/config.js";
import { kalshiClients } from "../../src/components/connector/kalshi-clients.js";
import { selectMarkets } from "../../src/components/connector/market-selection.js";
import { busChangeSink } from "../../src/components/secmaster/change-events.js";
import { secmasterRestPort } from "../../src/components/secmaster/market-resolver.js";
import { createSecmasterMetrics } from "../../src/components/secmaster/metrics.js";
import { SecmasterStore } from "../../src/components/secmaster/secmaster-store.js";
import { runSync, type SyncOptions } from "../../src/components/secmaster/sync.js";
import { recentRuns } from "../../src/components/secmaster/sync-runs.js";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { createTestDatabase } from "../helpers/postgres.js";
import { BACKENDS } from "../helpers/secmaster-dbs.js";

const RETRY = { maxAttempts: 12, baseDelayMs: 50, maxDelayMs: 500 };

function clientFor(sim: Simulator, fetch?: FetchLike): KalshiRestClient {
  return new KalshiRestClient({ baseUrl: sim.restUrl, retry: RETRY, ...(fetch ? { fetch } : {}) });
}

async function restStatuses(client: KalshiRestClient): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for await (const market of client.markets({ limit: 1000 }))
    statuses.set(market.ticker, String(market.status));
  return statuses;
}

async function storedStatuses(store: SecmasterStore): Promise<Map<string, string>> {
  const page = await store.listMarkets({ limit: 1000 });
  return new Map(page.items.map((m) => [String(m.ticker), String(m.status)]));
}

describe("secmaster sync against the simulator (PGlite, NATS change events)", () => {
  let sim: Simulator;
  let nats: TestNatsServer;
  let bus: Bus;
  let store: SecmasterStore;
  let cleanupDb: () => Promise<void>;
  const id = randomBytes(3).toString("hex");
  const prefix = `sm${id}.kalshi`;
  const stream = `SM_${id.toUpperCase()}`;
  const sync = (options: SyncOptions = {}) =>
    runSync({ store, client: clientFor(sim), now: Date.now, logger: silentLogger }, options);

  before(async () => {
    sim = await startSimulator({ port: 0, rate: 0, markets: 24, seed: 7, lifecycleIntervalMs: 1000 });
    nats = await startNatsServer();
    bus = await connectNatsBus({ url: nats.url, name: "secmaster-test", logger: silentLogger });
    await bus.ensureStream({ name: stream, subjects: [`${prefix}.>`], storage: "memory" });
    const pglite = BACKENDS.find((backend) => backend.name === "pglite")!;
    const opened = await pglite.open();
    cleanupDb = opened.cleanup;
    const metrics = createSecmasterMetrics();
    store = new SecmasterStore(opened.db, {
      metrics,
      sink: busChangeSink(bus, prefix, silentLogger, metrics),
    });
  });
  after(async () => {
    await cleanupDb();
    await bus.close();
    await nats.cleanup();
    await sim.stop();
  });

  async function changeEvents(): Promise<Record<string, unknown>[]> {
    const info = await bus.streamInfo(stream);
    const events: Record<string, unknown>[] = [];
    for (let seq = info?.firstSeq ?? 1; info && seq <= info.lastSeq; seq++) {
      const message = await bus.getMessage(stream, seq);
      if (message?.subject.startsWith(`${prefix}.secmaster.`))
        events.push({
          subject: message.subject,
          ...(JSON.parse(new TextDecoder().decode(message.data)) as object),
        });
    }
    return events;
  }

  test("a full sync stores every series, event and market and publishes one change event each", async () => {
    const rest = await restStatuses(clientFor(sim));
    const summary = await sync();
    assert.equal(summary.kind, "full");
    assert.equal(summary.markets.added, rest.size);
    assert.equal(summary.series.added, 5);
    assert.ok(summary.events.added >= 5);
    assert.deepEqual(await storedStatuses(store), rest);
    const events = await changeEvents();
    assert.equal(events.length, summary.series.added + summary.events.added + summary.markets.added);
    const ticker = [...rest.keys()].find((t) => t.includes("."));
    const market = events.find((event) => event.ticker === (ticker ?? [...rest.keys()][0]));
    assert.equal(market?.type, "secmaster_change");
    assert.equal(market?.change, "added");
    assert.equal(market?.subject, `${prefix}.secmaster.${String(market?.ticker).replaceAll(".", "_")}`);
  });

  test("running it again changes nothing and publishes nothing", async () => {
    const before = (await changeEvents()).length;
    const summary = await sync();
    assert.deepEqual(
      [summary.markets.added, summary.markets.changed, summary.events.changed, summary.series.changed],
      [0, 0, 0, 0],
    );
    assert.equal((await changeEvents()).length, before);
  });

  test("after the lifecycle moves markets, an incremental sync reports closed and settled and as-of shows the past", async () => {
    const firstSyncAt = Date.now();
    sim.step(900); // ~9 simulated lifecycle steps: markets determine, settle and get replaced
    const rest = await restStatuses(clientFor(sim));
    const summary = await sync({ incremental: true });
    assert.equal(summary.kind, "incremental");
    assert.ok(summary.markets.closed >= 3, `closed ${summary.markets.closed}`);
    assert.ok(summary.markets.settled >= 1, `settled ${summary.markets.settled}`);
    assert.ok(summary.markets.added >= 3, `added ${summary.markets.added}`);
    assert.deepEqual(await storedStatuses(store), rest, "the secmaster agrees with REST");
    const settled = [...rest].find(([, status]) => status === "finalized")?.[0];
    assert.ok(settled);
    const past = await store.marketAsOf(settled, firstSyncAt);
    assert.equal(past.status, "active");
    assert.equal(past.result, null);
    const now = await store.market(settled);
    assert.ok(now.result === "yes" || now.result === "no");
    assert.ok(now.settlement_value === "1.0000" || now.settlement_value === "0.0000");
    const statusEvents = (await changeEvents()).filter(
      (event) => event.ticker === settled && event.change === "updated",
    );
    assert.ok(statusEvents.length >= 1);
  });

  test("--dry-run reports what would change and writes and publishes nothing", async () => {
    sim.step(300);
    const before = await storedStatuses(store);
    const eventsBefore = (await changeEvents()).length;
    const runsBefore = (await recentRuns(store.db, 1))[0]?.id;
    const summary = await sync({ dryRun: true });
    assert.equal(summary.dryRun, true);
    assert.ok(summary.markets.changed + summary.markets.added > 0);
    assert.deepEqual(await storedStatuses(store), before);
    assert.equal((await changeEvents()).length, eventsBefore);
    assert.equal((await recentRuns(store.db, 1))[0]?.id, runsBefore, "a dry run records no sync run");
  });

  test("429s slow the sync down instead of failing it", async () => {
    sim.injectFault({ kind: "rest_429", durationMs: 1200 });
    const started = Date.now();
    const summary = await sync();
    assert.ok(Date.now() - started >= 1000, "waited out the 429 window");
    assert.ok(summary.markets.seen > 0);
    const metrics = await (await fetch(`http://127.0.0.1:${sim.port}/metrics`)).text();
    assert.match(metrics, /route="rate_limited",status="429"\} [1-9]/);
  });
});

describe("secmaster sync on PostgreSQL: scope filters and an interrupted sync", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ port: 0, rate: 0, markets: 30, seed: 3, lifecycleIntervalMs: 1000 });
    sim.step(400);
  });
  after(() => sim.stop());

  async function freshStore() {
    const database = await createTestDatabase("ssmd_secmaster_sync");
    const db = await openDb(database.url);
    return {
      store: new SecmasterStore(db),
      async cleanup() {
        await db.close();
        await database.drop();
      },
    };
  }

  test("an interrupted sync converges when run again", async () => {
    const { store, cleanup } = await freshStore();
    try {
      // The second page of markets fails with a non-retryable 400: the first batches are committed.
      const failing: FetchLike = (url, init) =>
        url.includes("/markets?") && url.includes("cursor=")
          ? Promise.resolve(new Response('{"code":"bad_request","message":"boom"}', { status: 400 }))
          : fetch(url, init);
      const deps = { store, now: Date.now, logger: silentLogger };
      const broken = clientFor(sim, failing);
      await assert.rejects(runSync({ ...deps, client: broken }, { batchSize: 4, pageSize: 10 }));
      const partial = (await store.listMarkets({ limit: 1000 })).items.length;
      assert.ok(partial >= 4 && partial <= 10, `partial sync stored ${partial} markets`);
      assert.equal((await recentRuns(store.db, 1))[0]?.status, "failed");
      const client = clientFor(sim);
      const summary = await runSync({ ...deps, client }, {});
      assert.equal(summary.kind, "full");
      assert.deepEqual(await storedStatuses(store), await restStatuses(client));
      const again = await runSync({ ...deps, client }, {});
      assert.deepEqual([again.markets.added, again.markets.changed], [0, 0]);
    } finally {
      await cleanup();
    }
  });

  test("--category and --series limit the sync to their series", async () => {
    const { store, cleanup } = await freshStore();
    try {
      const client = clientFor(sim);
      const deps = { store, client, now: Date.now, logger: silentLogger };
      const crypto = await runSync(deps, { category: "Crypto" });
      const cryptoSeries = (await store.listSeries({})).items.map((s) => String(s.ticker));
      assert.ok(cryptoSeries.length >= 1);
      let expected = 0;
      for (const series of cryptoSeries)
        for await (const _ of client.markets({ series_ticker: series })) expected++;
      assert.equal(crypto.markets.added, expected);
      const stored = (await store.listMarkets({ limit: 1000 })).items;
      assert.ok(
        stored.every((m) => m.category === "Crypto" && cryptoSeries.includes(String(m.series_ticker))),
      );
      const other = (await store.listSeries({})).items.length;
      const one = await runSync(deps, { series: ["INXD"] });
      assert.equal(one.series.seen, 1);
      assert.ok(
        (await store.listMarkets({ series: "INXD" })).items.every((m) => m.category === "Financials"),
      );
      assert.equal((await store.listSeries({})).items.length, other + 1);
    } finally {
      await cleanup();
    }
  });

  test("the connector's category filter resolves through the secmaster, not REST", async () => {
    const { store, cleanup } = await freshStore();
    try {
      await runSync({ store, client: clientFor(sim), now: Date.now, logger: silentLogger });
      const rest = kalshiClients({ wsUrl: sim.wsUrl, restUrl: sim.restUrl }, silentLogger).rest!;
      const restCalls: string[] = [];
      const counted = {
        markets: (query: Record<string, string | number | undefined>) => {
          restCalls.push("markets");
          return rest.markets(query);
        },
        trades: (query: Record<string, string | number | undefined>) => rest.trades(query),
        series: (query: { category?: string }) => {
          restCalls.push("series");
          return rest.series!(query);
        },
      };
      const config = resolveConnectorConfig({
        feed: "kalshi-sim",
        prefix: "t.kalshi",
        stream: "T",
        channels: ["orderbook_delta"],
        categories: ["Crypto"],
      });
      const selection = await selectMarkets(config, true, secmasterRestPort(store, counted), silentLogger);
      const expected = (await store.listMarkets({ category: "Crypto", status: ["active"], limit: 1000 }))
        .items;
      assert.ok(expected.length > 0);
      assert.deepEqual([...selection.initial].sort(), expected.map((m) => String(m.ticker)).sort());
      assert.deepEqual(restCalls, [], "Kalshi REST was not asked");
      const viaRest = await selectMarkets(config, true, counted, silentLogger);
      assert.deepEqual([...viaRest.initial].sort(), [...selection.initial].sort(), "same answer as REST");
    } finally {
      await cleanup();
    }
  });
});
