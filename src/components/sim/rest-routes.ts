/**
 * The market-data REST API under /trade-api/v2 (PROTOCOL.md §5), answered from the world the
 * WebSocket streams: markets, orderbooks, trades, events, series, exchange status/schedule.
 * Cursor pagination, Kalshi's filters, and a token bucket answering 429 `{"error":"too many requests"}`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson } from "../../adapters/http/error-response.js";
import { formatCount, formatPrice } from "../../core/decimal.js";
import type { WireFormat } from "../../core/kalshi/types.js";
import { eventStatus, marketFilter } from "./rest-filters.js";
import { eventJson, marketJson, seriesJson, tradeJson } from "./rest-json.js";
import {
  badParam,
  boolParam,
  decodeCursor,
  encodeCursor,
  intParam,
  listParam,
  RestError,
  secondsParam,
} from "./rest-query.js";
import { exchangeSchedule } from "./rest-schedule.js";
import type { World } from "./world.js";
import type { SimMarket } from "./world-types.js";

export const REST_PREFIX = "/trade-api/v2";

export interface RestContext {
  world: World;
  format(): WireFormat;
  /** False when the request must be refused with 429 (rate limit or a rest_429 fault). */
  admit(): boolean;
  onRequest?: (route: string, status: number) => void;
}

type Route = (ctx: RestContext, query: URLSearchParams, param: string) => unknown;

const ROUTES: [RegExp, string, Route][] = [
  [/^\/markets$/, "markets", listMarkets],
  [/^\/markets\/trades$/, "trades", listTrades],
  [/^\/markets\/([^/]+)\/orderbook$/, "orderbook", orderbook],
  [/^\/markets\/([^/]+)$/, "market", getMarket],
  [/^\/events$/, "events", listEvents],
  [/^\/events\/([^/]+)$/, "event", getEvent],
  [/^\/series$/, "series", listSeries],
  [/^\/series\/([^/]+)$/, "series_one", getSeries],
  [/^\/exchange\/status$/, "exchange_status", () => ({ exchange_active: true, trading_active: true })],
  [/^\/exchange\/schedule$/, "exchange_schedule", () => exchangeSchedule()],
];

/** Handles a request under REST_PREFIX; returns false for other paths. */
export function handleRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://sim");
  if (!url.pathname.startsWith(`${REST_PREFIX}/`)) return false;
  const path = url.pathname.slice(REST_PREFIX.length);
  if (path.length > 1 && path.endsWith("/")) {
    res.writeHead(301, { location: `${REST_PREFIX}${path.slice(0, -1)}${url.search}` });
    res.end();
    return true;
  }
  const reply = (route: string, status: number, body: unknown) => {
    ctx.onRequest?.(route, status);
    sendJson(res, status, body);
  };
  if (!ctx.admit()) {
    reply("rate_limited", 429, { error: "too many requests" });
    return true;
  }
  for (const [pattern, name, route] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (req.method !== "GET") {
      reply(name, 405, { code: "method_not_allowed", message: "GET only" });
      return true;
    }
    try {
      reply(name, 200, route(ctx, url.searchParams, decodeURIComponent(match[1] ?? "")));
    } catch (error) {
      if (!(error instanceof RestError)) throw error;
      reply(name, error.status, { code: error.code, message: error.message });
    }
    return true;
  }
  reply("unknown", 404, { code: "not_found", message: `no route ${path}` });
  return true;
}

function notFound(kind: string, name: string): RestError {
  return new RestError(404, "not_found", `${kind} ${name} not found`);
}

function findMarket(ctx: RestContext, ticker: string): SimMarket {
  const market = ctx.world.markets.get(ticker);
  if (!market) throw notFound("market", ticker);
  return market;
}

/** Walks `items` from the cursor position, keeping matches, up to `limit`. */
function page<T>(
  items: T[],
  query: URLSearchParams,
  kind: string,
  limit: number,
  keep: (item: T) => boolean,
) {
  const start = decodeCursor(query, kind) ?? 0;
  const found: T[] = [];
  let index = start;
  for (; index < items.length && found.length < limit; index++) {
    const item = items[index]!;
    if (keep(item)) found.push(item);
  }
  const more = items.slice(index).some(keep);
  return { found, cursor: more ? encodeCursor(kind, index) : "" };
}

function listMarkets(ctx: RestContext, query: URLSearchParams): unknown {
  const limit = intParam(query, "limit", 1, 1000, 100);
  const keep = marketFilter(query);
  const { found, cursor } = page([...ctx.world.markets.values()], query, "m", limit, keep);
  return { cursor, markets: found.map((market) => marketJson(market, ctx.format())) };
}

function getMarket(ctx: RestContext, _query: URLSearchParams, ticker: string): unknown {
  return { market: marketJson(findMarket(ctx, ticker), ctx.format()) };
}

function orderbook(ctx: RestContext, query: URLSearchParams, ticker: string): unknown {
  const depth = intParam(query, "depth", 0, 100, 0);
  const { book } = findMarket(ctx, ticker);
  const side = (name: "yes" | "no") =>
    book.sorted(name, depth).map(([p, c]) => [formatPrice(p), formatCount(c)]);
  const body: Record<string, unknown> = {
    orderbook_fp: { yes_dollars: side("yes"), no_dollars: side("no") },
  };
  if (ctx.format() === "legacy") {
    const cents = (name: "yes" | "no") =>
      book.sorted(name, depth).map(([p, c]) => [Math.round(p / 100), Math.trunc(c / 100)]);
    const dollars = (name: "yes" | "no") =>
      book.sorted(name, depth).map(([p, c]) => [formatPrice(p), Math.trunc(c / 100)]);
    body.orderbook = {
      yes: cents("yes"),
      no: cents("no"),
      yes_dollars: dollars("yes"),
      no_dollars: dollars("no"),
    };
  }
  return body;
}

/** Newest first; the cursor is the trade number to continue below. */
function listTrades(ctx: RestContext, query: URLSearchParams): unknown {
  const limit = intParam(query, "limit", 1, 1000, 100);
  const ticker = query.get("ticker");
  const minTs = secondsParam(query, "min_ts");
  const maxTs = secondsParam(query, "max_ts");
  const below = decodeCursor(query, "t") ?? Number.MAX_SAFE_INTEGER;
  const keep = (trade: { number: number; ticker: string; tsMs: number }) =>
    trade.number < below &&
    (!ticker || trade.ticker === ticker) &&
    (minTs === undefined || trade.tsMs >= minTs * 1000) &&
    (maxTs === undefined || trade.tsMs <= maxTs * 1000 + 999);
  const found = [];
  const { trades } = ctx.world;
  let index = trades.length - 1;
  for (; index >= 0 && found.length < limit; index--) if (keep(trades[index]!)) found.push(trades[index]!);
  const more = trades.slice(0, index + 1).some(keep);
  const last = found[found.length - 1];
  return {
    cursor: more && last ? encodeCursor("t", last.number) : "",
    trades: found.map((t) => tradeJson(t, ctx.format())),
  };
}

function marketsOfEvent(ctx: RestContext, eventTicker: string): SimMarket[] {
  return [...ctx.world.markets.values()].filter((market) => market.eventTicker === eventTicker);
}

function listEvents(ctx: RestContext, query: URLSearchParams): unknown {
  const limit = intParam(query, "limit", 1, 200, 200);
  const status = query.get("status");
  if (status && !["unopened", "open", "closed", "settled"].includes(status)) {
    throw badParam("status", "must be one of unopened|open|closed|settled");
  }
  const nested = boolParam(query, "with_nested_markets");
  const series = query.get("series_ticker");
  const tickers = listParam(query, "tickers");
  const events = [...ctx.world.events.values()];
  const keep = (event: (typeof events)[number]) =>
    (!series || event.seriesTicker === series) &&
    (!tickers || tickers.includes(event.eventTicker)) &&
    (!status || eventStatus(marketsOfEvent(ctx, event.eventTicker)) === status);
  const { found, cursor } = page(events, query, "e", limit, keep);
  return {
    cursor,
    events: found.map((event) => {
      const body = eventJson(event, ctx.world.series.get(event.seriesTicker));
      if (nested)
        body.markets = marketsOfEvent(ctx, event.eventTicker).map((m) => marketJson(m, ctx.format()));
      return body;
    }),
  };
}

function getEvent(ctx: RestContext, query: URLSearchParams, eventTicker: string): unknown {
  const event = ctx.world.events.get(eventTicker);
  if (!event) throw notFound("event", eventTicker);
  const markets = marketsOfEvent(ctx, eventTicker).map((market) => marketJson(market, ctx.format()));
  const body = eventJson(event, ctx.world.series.get(event.seriesTicker));
  if (boolParam(query, "with_nested_markets")) body.markets = markets;
  return { event: body, markets };
}

function seriesVolume(ctx: RestContext, seriesTicker: string): number {
  let volume = 0;
  for (const market of ctx.world.markets.values())
    if (market.seriesTicker === seriesTicker) volume += market.volume;
  return volume;
}

function listSeries(ctx: RestContext, query: URLSearchParams): unknown {
  const category = query.get("category");
  const tags = listParam(query, "tags");
  const series = [...ctx.world.series.values()].filter(
    (one) =>
      (!category || one.category === category) && (!tags || tags.some((tag) => one.tags.includes(tag))),
  );
  return { series: series.map((one) => seriesJson(one, seriesVolume(ctx, one.ticker))) };
}

function getSeries(ctx: RestContext, _query: URLSearchParams, ticker: string): unknown {
  const series = ctx.world.series.get(ticker);
  if (!series) throw notFound("series", ticker);
  return { series: seriesJson(series, seriesVolume(ctx, ticker)) };
}
