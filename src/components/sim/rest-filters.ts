/**
 * Market and event filters for GET /markets and GET /events. The query's status vocabulary
 * (unopened|open|paused|closed|settled) differs from the response's (initialized|active|
 * closed|determined|finalized), as on Kalshi.
 */
import { badParam, listParam, secondsParam } from "./rest-query.js";
import type { MarketStatus, SimMarket } from "./world-types.js";

const STATUS_FILTER: Record<string, MarketStatus[]> = {
  unopened: ["initialized"],
  open: ["active"],
  paused: [],
  closed: ["closed", "determined"],
  settled: ["finalized"],
};

function statusFilter(
  query: URLSearchParams,
  allowed = Object.keys(STATUS_FILTER),
): Set<MarketStatus> | undefined {
  const status = query.get("status");
  if (status === null || status === "") return undefined;
  if (!allowed.includes(status)) throw badParam("status", `must be one of ${allowed.join("|")}`);
  return new Set(STATUS_FILTER[status]);
}

type MarketPredicate = (market: SimMarket) => boolean;

function range(
  query: URLSearchParams,
  min: string,
  max: string,
  pick: (market: SimMarket) => number | undefined,
): MarketPredicate[] {
  const low = secondsParam(query, min);
  const high = secondsParam(query, max);
  const predicates: MarketPredicate[] = [];
  if (low !== undefined) predicates.push((market) => (pick(market) ?? -1) >= low * 1000);
  if (high !== undefined)
    predicates.push((market) => (pick(market) ?? Number.MAX_SAFE_INTEGER) <= high * 1000 + 999);
  return predicates;
}

/** One predicate combining every market filter in the query. */
export function marketFilter(query: URLSearchParams): MarketPredicate {
  const statuses = statusFilter(query);
  const tickers = listParam(query, "tickers");
  const events = listParam(query, "event_ticker");
  const series = query.get("series_ticker");
  const predicates: MarketPredicate[] = [
    ...range(query, "min_close_ts", "max_close_ts", (market) => market.closeMs),
    ...range(query, "min_created_ts", "max_created_ts", (market) => market.createdMs),
    ...range(query, "min_settled_ts", "max_settled_ts", (market) => market.settledMs),
  ];
  if (statuses) predicates.push((market) => statuses.has(market.status));
  if (tickers) {
    const wanted = new Set(tickers);
    predicates.push((market) => wanted.has(market.ticker));
  }
  if (events) {
    const wanted = new Set(events);
    predicates.push((market) => wanted.has(market.eventTicker));
  }
  if (series) predicates.push((market) => market.seriesTicker === series);
  return (market) => predicates.every((predicate) => predicate(market));
}

/** An event's status from its markets': open while any trades, settled when all are. */
export function eventStatus(markets: SimMarket[]): string {
  if (markets.some((market) => market.status === "active")) return "open";
  if (markets.length > 0 && markets.every((market) => market.status === "finalized")) return "settled";
  if (markets.some((market) => market.status === "initialized")) return "unopened";
  return "closed";
}
