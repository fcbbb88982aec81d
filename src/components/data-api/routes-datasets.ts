/** /datasets, /schema and /builders: what data exists and what it looks like. */
import { builders } from "./builders.js";
import type { DatasetCatalog, DatasetQuery } from "./dataset-catalog.js";
import { daySample, dayTickers, type TickerCount } from "./day-scan.js";
import type { RequestContext, Route } from "./http-router.js";
import { messageSchema } from "./message-schemas.js";
import {
  parseDate,
  parseFeedName,
  parseLimit,
  parseOptionalDate,
  parseTickers,
  parseTimeOfDay,
  parseTypeFilter,
} from "./params.js";

/** Ticker counts need a scan of the day; keep the last few answers (keyed by the day's files). */
class TickerCache {
  private readonly entries = new Map<string, TickerCount[]>();
  constructor(private readonly capacity = 16) {}

  async get(key: string, load: () => Promise<TickerCount[]>): Promise<TickerCount[]> {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = await load();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}

export async function validatedDay(catalog: DatasetCatalog, ctx: RequestContext) {
  const feed = parseFeedName(ctx.params.feed);
  const date = parseDate(ctx.params.date);
  await catalog.requireDay(feed, date);
  return { feed, date };
}

/** The optional `feed`, `from` and `to` of a dataset listing's query string, validated. */
export function datasetFilter(query: URLSearchParams): DatasetQuery {
  const feedText = query.get("feed") ?? undefined;
  return {
    feed: feedText === undefined ? undefined : parseFeedName(feedText),
    from: parseOptionalDate(query.get("from") ?? undefined, "from"),
    to: parseOptionalDate(query.get("to") ?? undefined, "to"),
  };
}

export function datasetRoutes(catalog: DatasetCatalog): Route[] {
  const tickers = new TickerCache();
  return [
    {
      pattern: "/datasets",
      auth: true,
      handle: async ({ query }) => ({ datasets: await catalog.datasets(datasetFilter(query)) }),
    },
    {
      pattern: "/datasets/{feed}/{date}/sample",
      auth: true,
      handle: async (ctx) => {
        const { feed, date } = await validatedDay(catalog, ctx);
        const q = ctx.query;
        const records = await daySample(catalog.store, feed, date, {
          ...parseTypeFilter(q.get("type") ?? undefined),
          tickers: parseTickers(q.get("ticker") ?? undefined),
          fromUs: parseTimeOfDay(q.get("from") ?? undefined, date, "from"),
          toUs: parseTimeOfDay(q.get("to") ?? undefined, date, "to"),
          limit: parseLimit(q.get("limit") ?? undefined),
        });
        return { feed, date, count: records.length, records };
      },
    },
    {
      pattern: "/datasets/{feed}/{date}/tickers",
      auth: true,
      handle: async (ctx) => {
        const { feed, date } = await validatedDay(catalog, ctx);
        const files = await catalog.store.list(`${feed}/${date}/`);
        const key = `${feed}/${date}/${files.map((f) => `${f.key}:${f.size}`).join(",")}`;
        const list = await tickers.get(key, () => dayTickers(catalog.store, feed, date));
        return { feed, date, count: list.length, tickers: list };
      },
    },
    {
      pattern: "/schema/{feed}/{type}",
      auth: true,
      handle: async ({ params }) => {
        const feed = await catalog.requireFeed(parseFeedName(params.feed));
        return { feed, ...messageSchema(params.type ?? "") };
      },
    },
    { pattern: "/builders", auth: true, handle: () => ({ builders: builders() }) },
  ];
}
