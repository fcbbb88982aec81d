/**
 * Kalshi REST client for the market-data endpoints (PROTOCOL.md §5). Listings are async
 * iterators that follow `cursor` until it comes back empty; breaking out of the loop stops
 * paging. All calls share one token bucket; 429/5xx/network errors are retried with backoff.
 * Requests are signed when credentials are given (path incl. /trade-api/v2, no query string).
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Registry } from "prom-client";
import type { z } from "zod";
import { ProtocolError, ValidationError } from "../../core/errors.js";
import type { Logger } from "../log.js";
import type { KalshiCredentials } from "./credentials.js";
import { type RateLimit, TokenBucket } from "./rate-limiter.js";
import { type FetchLike, RestHttp } from "./rest-http.js";
import {
  type EventsQuery,
  eventResponseSchema,
  eventsPageSchema,
  exchangeScheduleSchema,
  exchangeStatusSchema,
  type MarketsQuery,
  marketResponseSchema,
  marketsPageSchema,
  orderbookResponseSchema,
  type RestEvent,
  type RestEventResponse,
  type RestExchangeSchedule,
  type RestExchangeStatus,
  type RestMarket,
  type RestOrderbookResponse,
  type RestQuery,
  type RestSeries,
  type RestTrade,
  type SeriesQuery,
  seriesListSchema,
  seriesResponseSchema,
  type TradesQuery,
  tradesPageSchema,
} from "./rest-types.js";
import { DEFAULT_RETRY, type RetryPolicy, validateRetryPolicy } from "./retry.js";

export interface KalshiRestClientOptions {
  /** e.g. https://external-api.kalshi.com/trade-api/v2 or http://127.0.0.1:8765/trade-api/v2 */
  baseUrl: string;
  credentials?: KalshiCredentials;
  /** Default 10 requests/s, burst 10 (Kalshi Basic tier: 200 tokens/s at 10 tokens a read = 20/s). */
  rateLimit?: RateLimit;
  retry?: RetryPolicy;
  /** Per attempt; default 10 s. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Milliseconds since the epoch (signing timestamps and the token bucket). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** [0,1) source for backoff jitter. */
  random?: () => number;
  logger?: Logger;
  /** When given, request/retry counters are registered here. */
  registry?: Registry;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 10, burst: 10 };
const MAX_PAGES = 100_000;

export class KalshiRestClient {
  readonly limiter: TokenBucket;
  private readonly http: RestHttp;

  constructor(options: KalshiRestClientOptions) {
    const baseUrl = checkBaseUrl(options.baseUrl);
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => delay(ms));
    this.limiter = new TokenBucket(options.rateLimit ?? DEFAULT_RATE_LIMIT, { now, sleep });
    this.http = new RestHttp({
      baseUrl,
      credentials: options.credentials,
      limiter: this.limiter,
      retry: validateRetryPolicy(options.retry ?? DEFAULT_RETRY),
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      now,
      sleep,
      random: options.random ?? Math.random,
      logger: options.logger,
      registry: options.registry,
    });
  }

  /** GET /markets, every page. */
  markets(query: MarketsQuery = {}): AsyncGenerator<RestMarket> {
    return this.paginate("markets", "/markets", query, marketsPageSchema, (page) => page.markets ?? []);
  }

  /** GET /markets/trades, every page. */
  trades(query: TradesQuery = {}): AsyncGenerator<RestTrade> {
    return this.paginate("trades", "/markets/trades", query, tradesPageSchema, (page) => page.trades ?? []);
  }

  /** GET /events, every page. */
  events(query: EventsQuery = {}): AsyncGenerator<RestEvent> {
    return this.paginate("events", "/events", query, eventsPageSchema, (page) => page.events ?? []);
  }

  /** GET /series (follows a cursor too, should Kalshi add one). */
  async series(query: SeriesQuery = {}): Promise<RestSeries[]> {
    const all: RestSeries[] = [];
    for await (const one of this.paginate(
      "series",
      "/series",
      query,
      seriesListSchema,
      (p) => p.series ?? [],
    )) {
      all.push(one);
    }
    return all;
  }

  async market(ticker: string): Promise<RestMarket> {
    const path = `/markets/${segment(ticker, "market ticker")}`;
    const notFound = { kind: "market", wanted: ticker };
    const body = await this.http.get({ endpoint: "market", path, schema: marketResponseSchema, notFound });
    return body.market;
  }

  /** GET /markets/{ticker}/orderbook; depth 0 or undefined = all levels. */
  async orderbook(ticker: string, depth?: number): Promise<RestOrderbookResponse> {
    if (depth !== undefined && !(Number.isInteger(depth) && depth >= 0 && depth <= 100)) {
      throw new ValidationError("invalid orderbook depth", [
        `depth must be an integer 0..100 (got ${depth})`,
      ]);
    }
    const path = `/markets/${segment(ticker, "market ticker")}/orderbook`;
    const query = depth === undefined ? {} : { depth };
    const notFound = { kind: "market", wanted: ticker };
    return this.http.get({ endpoint: "orderbook", path, query, schema: orderbookResponseSchema, notFound });
  }

  /** GET /events/{ticker}: the event and (when nested) its markets. */
  async event(ticker: string, withNestedMarkets?: boolean): Promise<RestEventResponse> {
    const path = `/events/${segment(ticker, "event ticker")}`;
    const query = withNestedMarkets === undefined ? {} : { with_nested_markets: withNestedMarkets };
    const notFound = { kind: "event", wanted: ticker };
    return this.http.get({ endpoint: "event", path, query, schema: eventResponseSchema, notFound });
  }

  async seriesOne(ticker: string): Promise<RestSeries> {
    const path = `/series/${segment(ticker, "series ticker")}`;
    const notFound = { kind: "series", wanted: ticker };
    const body = await this.http.get({
      endpoint: "series_one",
      path,
      schema: seriesResponseSchema,
      notFound,
    });
    return body.series;
  }

  async exchangeStatus(): Promise<RestExchangeStatus> {
    return this.http.get({
      endpoint: "exchange_status",
      path: "/exchange/status",
      schema: exchangeStatusSchema,
    });
  }

  async exchangeSchedule(): Promise<RestExchangeSchedule> {
    return this.http.get({
      endpoint: "exchange_schedule",
      path: "/exchange/schedule",
      schema: exchangeScheduleSchema,
    });
  }

  private async *paginate<S extends z.ZodType<{ cursor?: string | null | undefined }>, T>(
    endpoint: string,
    path: string,
    query: RestQuery,
    schema: S,
    items: (page: z.infer<S>) => T[],
  ): AsyncGenerator<T> {
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await this.http.get({ endpoint, path, query: { ...query, cursor }, schema });
      yield* items(page);
      cursor = page.cursor || undefined;
      if (cursor === undefined) return;
      if (seen.has(cursor))
        throw new ProtocolError(`Kalshi repeated cursor on ${path}; stopping to avoid a loop`);
      seen.add(cursor);
    }
    throw new ProtocolError(`Kalshi ${path} returned more than ${MAX_PAGES} pages`);
  }
}

function checkBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError("invalid Kalshi REST base URL", [`not a URL: '${text}'`]);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError("invalid Kalshi REST base URL", [`expected http(s), got '${url.protocol}'`]);
  }
  if (url.search)
    throw new ValidationError("invalid Kalshi REST base URL", ["must not contain a query string"]);
  return text.replace(/\/+$/, "");
}

function segment(value: string, what: string): string {
  if (value.trim() === "") throw new ValidationError(`empty ${what}`);
  return encodeURIComponent(value);
}
