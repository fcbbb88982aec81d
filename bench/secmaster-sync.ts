/**
 * Secmaster sync throughput and as-of latency. A simulator with 3,000 markets → full sync into a
 * fresh PostgreSQL database (and into in-memory PGlite), then a no-change re-sync, then 200
 * as-of lookups. Baseline in the same run: the same REST listing (series, events, markets,
 * normalized) without any database — what the sync would cost if writing were free.
 * Targets: full sync ≥ 1,000 markets/s on PostgreSQL, ≥ 0.25 × baseline; re-sync ≥ 2,000
 * markets/s; as-of p99 ≤ 50 ms.
 * Prints one JSON object. Run: node --import tsx bench/secmaster-sync.ts
 */
import { openDb } from "../src/adapters/db/open-db.js";
import { KalshiRestClient } from "../src/adapters/kalshi/rest-client.js";
import {
  normalizedEvents,
  normalizedMarkets,
  normalizedSeries,
} from "../src/adapters/kalshi/rest-normalized.js";
import { silentLogger } from "../src/adapters/log.js";
import { SecmasterStore } from "../src/components/secmaster/secmaster-store.js";
import { runSync } from "../src/components/secmaster/sync.js";
import { startSimulator } from "../src/components/sim/index.js";
import { createTestDatabase } from "../test/helpers/postgres.js";

const MARKETS = 3000;
const TARGETS = {
  fullMarketsPerSecond: 1000,
  ratioToBaseline: 0.25,
  resyncMarketsPerSecond: 2000,
  asOfP99Ms: 50,
};
const RATE = { requestsPerSecond: 1000, burst: 1000 };

async function baseline(client: KalshiRestClient): Promise<number> {
  const started = performance.now();
  let count = 0;
  await normalizedSeries(client);
  for await (const _ of normalizedEvents(client, { limit: 200 })) count += 0;
  for await (const _ of normalizedMarkets(client, { limit: 1000 })) count++;
  if (count !== MARKETS) throw new Error(`baseline saw ${count} markets`);
  return count / ((performance.now() - started) / 1000);
}

async function measure(url: string, client: KalshiRestClient) {
  const db = await openDb(url);
  const store = new SecmasterStore(db);
  const deps = { store, client, now: Date.now, logger: silentLogger };
  try {
    const full = await runSync(deps);
    const resync = await runSync(deps);
    const tickers = (await store.listMarkets({ limit: 200 })).items.map((m) => String(m.ticker));
    const latencies: number[] = [];
    for (const ticker of tickers) {
      const started = performance.now();
      await store.marketAsOf(ticker, Date.now() - 1000);
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    return {
      fullMarketsPerSecond: Math.round(full.markets.added / (full.durationMs / 1000)),
      resyncMarketsPerSecond: Math.round(resync.markets.seen / (resync.durationMs / 1000)),
      resyncChanges: resync.markets.changed + resync.markets.added,
      asOfP50Ms: Number(latencies[Math.floor(latencies.length * 0.5)]?.toFixed(2)),
      asOfP99Ms: Number(latencies[Math.floor(latencies.length * 0.99)]?.toFixed(2)),
    };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: 0, rate: 0, markets: MARKETS, seed: 1, restRate: 10_000 });
  const client = new KalshiRestClient({ baseUrl: sim.restUrl, rateLimit: RATE });
  const database = await createTestDatabase("ssmd_bench_secmaster");
  try {
    const baselineRate = await baseline(client);
    const postgres = await measure(database.url, client);
    const pglite = await measure("pglite:memory", client);
    const ratio = postgres.fullMarketsPerSecond / baselineRate;
    const pass = {
      fullMarketsPerSecond: postgres.fullMarketsPerSecond >= TARGETS.fullMarketsPerSecond,
      ratioToBaseline: ratio >= TARGETS.ratioToBaseline,
      resyncMarketsPerSecond: postgres.resyncMarketsPerSecond >= TARGETS.resyncMarketsPerSecond,
      asOfP99Ms: postgres.asOfP99Ms <= TARGETS.asOfP99Ms,
      resyncIsNoChange: postgres.resyncChanges === 0 && pglite.resyncChanges === 0,
    };
    const result = {
      bench: "secmaster-sync",
      markets: MARKETS,
      baseline: { restOnlyMarketsPerSecond: Math.round(baselineRate) },
      postgres,
      pglite,
      ratioToBaseline: Number(ratio.toFixed(3)),
      targets: TARGETS,
      pass,
      ok: Object.values(pass).every(Boolean),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await database.drop();
    await sim.stop();
  }
}

await main();
