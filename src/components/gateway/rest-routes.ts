/**
 * REST: GET /v1/health, /v1/markets[?q=&limit=], /v1/markets/{ticker},
 * /v1/markets/{ticker}/trades[?limit=], /v1/markets/{ticker}/orderbook[?depth=],
 * /v1/markets/{ticker}/prices (the dashboard's chart). Same units as the WebSocket: dollars and
 * contracts as numbers. Unknown tickers → 404 with a suggestion.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError, sendJson } from "../../adapters/http/error-response.js";
import { toContracts, toDollars } from "../../core/decimal.js";
import { AuthError, NotFoundError, ValidationError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import type { ApiKeys } from "./auth.js";
import type { BookStore } from "./book-store.js";
import type { TradeInfo } from "./events.js";
import type { Market } from "./market.js";

export interface RestDeps {
  store: BookStore;
  keys: ApiKeys;
  health(): Record<string, unknown>;
}

const MARKET_ROUTE = /^\/v1\/markets\/([^/]+)(?:\/(trades|orderbook|prices))?$/;

/** Handles /v1/* requests; returns false for paths it does not own. */
export function handleRest(deps: RestDeps, req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const path = url.pathname;
  if (!path.startsWith("/v1/")) return false;
  try {
    if (path === "/v1/health") {
      const body = deps.health();
      sendJson(res, body.ok === false ? 503 : 200, body);
      return true;
    }
    if (!deps.keys.allows(req, url))
      throw new AuthError("missing or invalid API key (X-API-Key header or api_key=)");
    if (path === "/v1/markets") {
      sendJson(res, 200, listMarkets(deps.store, url.searchParams));
      return true;
    }
    const match = MARKET_ROUTE.exec(path);
    if (!match) throw new NotFoundError("route", path, ["/v1/health", "/v1/markets", "/v1/markets/{ticker}"]);
    const market = findMarket(deps.store, decodeTicker(match[1]!));
    sendJson(res, 200, marketRoute(market, match[2], url.searchParams));
  } catch (error) {
    sendError(res, error);
  }
  return true;
}

function marketRoute(market: Market, sub: string | undefined, params: URLSearchParams): unknown {
  if (sub === "trades") {
    const limit = intParam(params, "limit", 100, 1, 10_000);
    return { ticker: market.symbol, trades: market.trades.newest(limit).map(tradeJson) };
  }
  if (sub === "orderbook") return orderbookJson(market, intParam(params, "depth", 0, 0, 100_000));
  if (sub === "prices") {
    const points = market.prices.newest().reverse();
    return { ticker: market.symbol, prices: points.map(([ts, price]) => [ts, toDollars(price)]) };
  }
  return marketDetail(market);
}

function decodeTicker(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ValidationError(`ticker '${segment}' is not valid percent-encoding`);
  }
}

function findMarket(store: BookStore, ticker: string): Market {
  const market = store.market(ticker);
  if (market) return market;
  const tickers = [...store.markets.keys()];
  throw new NotFoundError("market", ticker, [], suggest(ticker, tickers));
}

function marketSummary(market: Market) {
  const top = market.topOfBook();
  const last = market.lastPrice();
  const volume = market.ticker?.volume;
  return {
    ticker: market.symbol,
    state: market.state,
    bid: top.bid ? toDollars(top.bid[0]) : null,
    bid_size: top.bid?.[1] === undefined ? null : toContracts(top.bid[1]),
    ask: top.ask ? toDollars(top.ask[0]) : null,
    ask_size: top.ask?.[1] === undefined ? null : toContracts(top.ask[1]),
    last: last === undefined ? null : toDollars(last),
    volume: volume === undefined ? toContracts(market.tradedSize) : toContracts(volume),
    trades: market.tradeCount,
    lifecycle: market.lifecycle ?? null,
    updated: market.updatedMs,
  };
}

function marketDetail(market: Market) {
  const ticker = market.ticker;
  return {
    ...marketSummary(market),
    stale_reason: market.staleReason ?? null,
    top_of_book_source: market.topOfBook().source,
    open_interest: ticker?.openInterest === undefined ? null : toContracts(ticker.openInterest),
    last_trade: market.trades.newest(1).map(tradeJson)[0] ?? null,
  };
}

function orderbookJson(market: Market, depth: number) {
  const live = market.state === "live";
  const view = live ? market.book.view(depth > 0 ? depth : undefined) : { bids: [], asks: [] };
  const levels = (list: [number, number][]) => list.map(([p, s]) => [toDollars(p), toContracts(s)]);
  return {
    type: "orderbook",
    ticker: market.symbol,
    state: market.state,
    ...(live ? {} : { reason: market.staleReason ?? "no snapshot yet" }),
    bids: levels(view.bids),
    asks: levels(view.asks),
    ts: market.bookTsMs,
  };
}

function tradeJson(trade: TradeInfo) {
  return {
    id: trade.id,
    price: toDollars(trade.price),
    size: toContracts(trade.size),
    side: trade.side ?? null,
    ts: trade.tsMs,
  };
}

function listMarkets(store: BookStore, params: URLSearchParams) {
  const query = (params.get("q") ?? "").trim().toUpperCase();
  const limit = intParam(params, "limit", 1000, 1, 100_000);
  const all = [...store.markets.values()].filter((market) => market.symbol.toUpperCase().includes(query));
  all.sort((a, b) => a.symbol.localeCompare(b.symbol));
  return { count: all.length, markets: all.slice(0, limit).map(marketSummary) };
}

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be an integer ${min}..${max}, got '${text}'`);
  }
  return value;
}
