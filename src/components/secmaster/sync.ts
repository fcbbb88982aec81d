/**
 * `secmaster sync`: series, then events, then markets from Kalshi REST (or the simulator),
 * written in batches with history. Full: every series/event/market in scope. Incremental: only
 * markets that can have changed since the last completed sync (closing soon or just closed,
 * recently created, recently settled) plus any event or series they name that is not stored
 * yet. The REST client's limiter and retries absorb 429s (the sync slows down); every batch is
 * idempotent, so an interrupted sync converges when run again.
 */

import type { KalshiRestClient } from "../../adapters/kalshi/rest-client.js";
import {
  normalizedEvents,
  normalizedMarkets,
  normalizedSeries,
} from "../../adapters/kalshi/rest-normalized.js";
import type { MarketsQuery } from "../../adapters/kalshi/rest-types.js";
import type { Logger } from "../../adapters/log.js";
import type { ParseError } from "../../core/errors.js";
import { type KalshiEvent, type KalshiMarket, parseRestSeries } from "../../core/kalshi/rest-market.js";
import { eventRecord, marketRecord, seriesRecord } from "./canonical.js";
import { EVENTS, MARKETS, SERIES } from "./entity-specs.js";
import { ParentResolver } from "./parents.js";
import type { SecmasterStore } from "./secmaster-store.js";
import { fetchMissingParents, incrementalQueries } from "./sync-incremental.js";
import { finishRun, lastCompletedStart, startRun } from "./sync-runs.js";
import { countChanges, emptySummary, type SyncSummary } from "./sync-summary.js";

export interface SyncOptions {
  incremental?: boolean;
  series?: string[];
  category?: string;
  dryRun?: boolean;
  /** Incremental: markets closing within this horizon are refreshed (default 1 h). */
  closingHorizonMs?: number;
  batchSize?: number;
  /** Markets per REST page (default 1000, Kalshi's maximum). */
  pageSize?: number;
}

export interface SyncProgress {
  phase: "series" | "events" | "markets";
  done: number;
}

export interface SyncDeps {
  store: SecmasterStore;
  client: KalshiRestClient;
  now: () => number;
  logger: Logger;
  onProgress?: (progress: SyncProgress) => void;
}

export function scopeOf(options: SyncOptions): string {
  if (options.series && options.series.length > 0) return `series:${[...options.series].sort().join(",")}`;
  if (options.category) return `category:${options.category}`;
  return "all";
}

export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncSummary> {
  const startMs = deps.now();
  const scope = scopeOf(options);
  const since = options.incremental ? await lastCompletedStart(deps.store.db, scope) : undefined;
  const kind = since === undefined ? "full" : "incremental";
  const summary = emptySummary(kind, scope, options.dryRun === true, startMs);
  summary.fellBackToFull = options.incremental === true && since === undefined;
  const runId = options.dryRun ? undefined : await startRun(deps.store.db, kind, scope, startMs);
  try {
    await new SyncRun(deps, options, summary, startMs).run(since);
  } catch (error) {
    if (runId !== undefined)
      await finishRun(deps.store.db, runId, "failed", summary, deps.now()).catch(() => {});
    throw error;
  }
  summary.durationMs = deps.now() - startMs;
  if (runId !== undefined) await finishRun(deps.store.db, runId, "complete", summary, deps.now());
  deps.store.metrics.lastSync.set({ kind }, startMs / 1000);
  return summary;
}

class SyncRun {
  private readonly parents: ParentResolver;
  private readonly batchSize: number;

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: SyncOptions,
    private readonly summary: SyncSummary,
    private readonly atMs: number,
  ) {
    this.parents = new ParentResolver(deps.store);
    this.batchSize = options.batchSize ?? 200;
  }

  async run(since: number | undefined): Promise<void> {
    const seriesTickers = await this.syncSeries(since !== undefined);
    const scopes = seriesTickers ?? [undefined];
    if (since === undefined) {
      for (const series of scopes) await this.syncEvents(series);
      for (const series of scopes)
        await this.syncMarkets(
          normalizedMarkets(this.deps.client, this.marketQuery(series), this.invalid("market")),
        );
      return;
    }
    for (const series of scopes) {
      const horizon = this.options.closingHorizonMs ?? 3_600_000;
      for (const query of incrementalQueries(since, this.atMs, horizon)) {
        await this.syncMarkets(
          normalizedMarkets(
            this.deps.client,
            { ...this.marketQuery(series), ...query },
            this.invalid("market"),
          ),
        );
      }
    }
  }

  private write = { source: "sync", partial: false };

  private applyOptions() {
    return { ...this.write, atMs: this.atMs, dryRun: this.options.dryRun };
  }

  private invalid(what: string) {
    return (error: ParseError) => {
      this.summary.invalid++;
      this.deps.store.metrics.invalid.inc({ what });
      this.deps.logger.warn("invalid item skipped", { what, error: error.message });
    };
  }

  /** Returns the series tickers that bound the rest of the sync (undefined = everything). */
  private async syncSeries(incremental: boolean): Promise<string[] | undefined> {
    const { client } = this.deps;
    const wanted = this.options.series ?? [];
    if (incremental && wanted.length === 0 && !this.options.category) return undefined;
    const list =
      wanted.length > 0
        ? await Promise.all(wanted.map(async (ticker) => parseRestSeries(await client.seriesOne(ticker))))
        : await normalizedSeries(
            client,
            this.options.category ? { category: this.options.category } : {},
            this.invalid("series"),
          );
    for (const series of list) this.parents.rememberSeries(series.ticker, series.category ?? null);
    const changes = await this.deps.store.apply(SERIES, list.map(seriesRecord), this.applyOptions());
    countChanges(this.summary.series, list.length, changes);
    this.deps.onProgress?.({ phase: "series", done: this.summary.series.seen });
    return wanted.length > 0 || this.options.category ? list.map((series) => series.ticker) : undefined;
  }

  private async syncEvents(series: string | undefined): Promise<void> {
    const query = { limit: 200, ...(series ? { series_ticker: series } : {}) };
    let batch: KalshiEvent[] = [];
    for await (const event of normalizedEvents(this.deps.client, query, this.invalid("event"))) {
      batch.push(event);
      if (batch.length >= this.batchSize) batch = await this.writeEvents(batch);
    }
    await this.writeEvents(batch);
  }

  private async writeEvents(events: KalshiEvent[]): Promise<KalshiEvent[]> {
    if (events.length === 0) return [];
    const missing = events
      .map((e) => e.seriesTicker)
      .filter((s): s is string => !!s && this.parents.categoryOf(s) === undefined);
    for (const [ticker, category] of await this.deps.store.categoryOfSeries(missing))
      this.parents.rememberSeries(ticker, category);
    const records = events.map((event) => {
      const record = eventRecord(event, this.parents.categoryOf(event.seriesTicker ?? "") ?? undefined);
      this.parents.rememberEvent(event.eventTicker, record.values.series_ticker ?? "");
      return record;
    });
    const changes = await this.deps.store.apply(EVENTS, records, this.applyOptions());
    countChanges(this.summary.events, events.length, changes);
    this.deps.onProgress?.({ phase: "events", done: this.summary.events.seen });
    return [];
  }

  private marketQuery(series: string | undefined): MarketsQuery {
    return { limit: this.options.pageSize ?? 1000, ...(series ? { series_ticker: series } : {}) };
  }

  private readonly seenMarkets = new Set<string>();

  private async syncMarkets(source: AsyncIterable<KalshiMarket>): Promise<void> {
    let batch: KalshiMarket[] = [];
    for await (const market of source) {
      if (this.seenMarkets.has(market.ticker)) continue;
      this.seenMarkets.add(market.ticker);
      batch.push(market);
      if (batch.length >= this.batchSize) batch = await this.writeMarkets(batch);
    }
    await this.writeMarkets(batch);
  }

  private async writeMarkets(markets: KalshiMarket[]): Promise<KalshiMarket[]> {
    if (markets.length === 0) return [];
    const eventTickers = markets.map((market) => market.eventTicker);
    if (this.summary.kind === "incremental") await this.fetchUnknownEvents(eventTickers);
    await this.parents.prepare(eventTickers);
    const records = markets.map((market) => marketRecord(market, this.parents.parentsOf(market.eventTicker)));
    const changes = await this.deps.store.apply(MARKETS, records, this.applyOptions());
    countChanges(this.summary.markets, markets.length, changes);
    this.deps.onProgress?.({ phase: "markets", done: this.summary.markets.seen });
    return [];
  }

  /** Incremental: events (and their series) a new market names that are not stored yet. */
  private async fetchUnknownEvents(eventTickers: string[]): Promise<void> {
    const { events, series } = await fetchMissingParents(this.deps.client, this.deps.store, eventTickers);
    for (const one of series) this.parents.rememberSeries(one.ticker, one.category ?? null);
    const changes = await this.deps.store.apply(SERIES, series.map(seriesRecord), this.applyOptions());
    countChanges(this.summary.series, series.length, changes);
    await this.writeEvents(events);
  }
}
