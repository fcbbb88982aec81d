/**
 * The security master's one entry point over its database: writes go through applyRecords
 * (history), then change events and cache invalidation; reads go through queries/history, market
 * lookups through the cache when one is configured.
 */
import type { Db } from "../../adapters/db/db.js";
import { requiredText, textOf } from "../../adapters/db/db.js";
import type { Logger } from "../../adapters/log.js";
import { silentLogger } from "../../adapters/log.js";
import type { ChangeSink } from "./change-events.js";
import {
  type EntityName,
  type EntityRecord,
  type EntitySpec,
  EVENTS,
  MARKETS,
  SERIES,
} from "./entity-specs.js";
import { type ApplyOptions, applyRecords, type EntityChange } from "./entity-writer.js";
import { entityAsOf, historyOf } from "./history.js";
import type { MarketCache } from "./market-cache.js";
import { createSecmasterMetrics, type SecmasterMetrics } from "./metrics.js";
import {
  type EntityView,
  listEvents,
  listMarkets,
  listSeries,
  type MarketFilter,
  requireOne,
} from "./queries.js";

export interface SecmasterStoreDeps {
  sink?: ChangeSink;
  cache?: MarketCache;
  metrics?: SecmasterMetrics;
  logger?: Logger;
}

export interface MarketParentInfo {
  seriesTicker: string | null;
  category: string | null;
}

export class SecmasterStore {
  readonly metrics: SecmasterMetrics;
  private readonly logger: Logger;

  constructor(
    readonly db: Db,
    private readonly deps: SecmasterStoreDeps = {},
  ) {
    this.metrics = deps.metrics ?? createSecmasterMetrics();
    this.logger = deps.logger ?? silentLogger;
  }

  async apply(spec: EntitySpec, records: EntityRecord[], options: ApplyOptions): Promise<EntityChange[]> {
    const changes = await applyRecords(this.db, spec, records, options);
    if (options.dryRun || changes.length === 0) return changes;
    for (const change of changes)
      this.metrics.changes.inc({ entity: change.entity, kind: change.kind, source: change.source });
    if (spec.entity === "market") await this.deps.cache?.invalidate(changes.map((change) => change.key));
    await this.deps.sink?.publish(changes);
    return changes;
  }

  /** Series ticker and category of each event ticker, from stored events and series. */
  async parentsOf(eventTickers: string[]): Promise<Map<string, MarketParentInfo>> {
    const rows = await this.db.query(
      `SELECT e.event_ticker, e.series_ticker, COALESCE(s.category, e.category) AS category
       FROM events e LEFT JOIN series s ON s.ticker = e.series_ticker
       WHERE e.event_ticker = ANY($1::text[])`,
      [[...new Set(eventTickers)]],
    );
    return new Map(
      rows.map((row) => [
        requiredText(row, "event_ticker"),
        { seriesTicker: textOf(row, "series_ticker"), category: textOf(row, "category") },
      ]),
    );
  }

  async categoryOfSeries(seriesTickers: string[]): Promise<Map<string, string | null>> {
    const rows = await this.db.query("SELECT ticker, category FROM series WHERE ticker = ANY($1::text[])", [
      [...new Set(seriesTickers)],
    ]);
    return new Map(rows.map((row) => [requiredText(row, "ticker"), textOf(row, "category")]));
  }

  async knownKeys(entity: EntityName, keys: string[]): Promise<Set<string>> {
    const spec = entity === "series" ? SERIES : entity === "event" ? EVENTS : MARKETS;
    const rows = await this.db.query(
      `SELECT ${spec.key} AS k FROM ${spec.table} WHERE ${spec.key} = ANY($1::text[])`,
      [[...new Set(keys)]],
    );
    return new Set(rows.map((row) => requiredText(row, "k")));
  }

  /** A market by ticker (cache first when configured); NotFoundError with close matches. */
  async market(ticker: string): Promise<EntityView> {
    const cached = await this.deps.cache?.get(ticker);
    if (cached) return cached;
    const view = await requireOne(this.db, MARKETS, ticker);
    await this.deps.cache?.put(view);
    return view;
  }

  marketAsOf(ticker: string, atMs: number): Promise<EntityView> {
    return entityAsOf(this.db, MARKETS, ticker, atMs);
  }

  event(eventTicker: string): Promise<EntityView> {
    return requireOne(this.db, EVENTS, eventTicker);
  }

  series(ticker: string): Promise<EntityView> {
    return requireOne(this.db, SERIES, ticker);
  }

  history(entity: EntityName, key: string) {
    return historyOf(this.db, entity, key);
  }

  listMarkets(filter: MarketFilter) {
    return listMarkets(this.db, filter);
  }

  listEvents(filter: Parameters<typeof listEvents>[1]) {
    return listEvents(this.db, filter);
  }

  listSeries(filter: Parameters<typeof listSeries>[1]) {
    return listSeries(this.db, filter);
  }

  async recordLifecycle(
    ticker: string,
    eventType: string,
    occurredAtMs: number,
    payload: string,
    source: string,
  ) {
    await this.db.query(
      `INSERT INTO lifecycle_events (ticker, event_type, occurred_at, payload, source)
       VALUES ($1, $2, $3::timestamptz, $4, $5)`,
      [ticker, eventType, new Date(occurredAtMs).toISOString(), payload, source],
    );
  }

  async lifecycleOf(ticker: string): Promise<{ eventType: string; occurredAt: string; source: string }[]> {
    const rows = await this.db.query(
      `SELECT event_type, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at, source
       FROM lifecycle_events WHERE ticker = $1 ORDER BY occurred_at, id`,
      [ticker],
    );
    return rows.map((row) => ({
      eventType: requiredText(row, "event_type"),
      occurredAt: requiredText(row, "occurred_at"),
      source: requiredText(row, "source"),
    }));
  }
}
