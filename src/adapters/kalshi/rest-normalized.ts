/**
 * Normalized views over KalshiRestClient: the raw JSON it returns, passed through the pure
 * parsers in core/kalshi/rest-market.ts (exact Price/Count, Unix-ms times, legacy and current
 * shapes alike). A listing item that does not parse goes to `onInvalid` (count it, log it) and
 * is skipped; without `onInvalid` the ParseError is thrown.
 */
import { errorMessage, ParseError } from "../../core/errors.js";
import {
  type KalshiEvent,
  type KalshiMarket,
  type KalshiSeries,
  parseRestEvent,
  parseRestMarket,
  parseRestOrderbook,
  parseRestSeries,
} from "../../core/kalshi/rest-market.js";
import type { OrderbookSnapshot } from "../../core/kalshi/types.js";
import type { KalshiRestClient } from "./rest-client.js";
import type { EventsQuery, MarketsQuery, SeriesQuery } from "./rest-types.js";

/** Told about each listing item that failed to parse; the raw item is kept for the caller. */
export type InvalidItemHandler = (error: ParseError, raw: unknown) => void;

function toParseError(error: unknown): ParseError {
  return error instanceof ParseError ? error : new ParseError(errorMessage(error), { cause: error });
}

async function* normalize<R, T>(
  source: AsyncIterable<R>,
  parse: (raw: R) => T,
  onInvalid: InvalidItemHandler | undefined,
): AsyncGenerator<T> {
  for await (const raw of source) {
    let item: T;
    try {
      item = parse(raw);
    } catch (error) {
      if (onInvalid === undefined) throw toParseError(error);
      onInvalid(toParseError(error), raw);
      continue;
    }
    yield item;
  }
}

export function normalizedMarkets(
  client: KalshiRestClient,
  query: MarketsQuery = {},
  onInvalid?: InvalidItemHandler,
): AsyncGenerator<KalshiMarket> {
  return normalize(client.markets(query), (raw) => parseRestMarket(raw), onInvalid);
}

export function normalizedEvents(
  client: KalshiRestClient,
  query: EventsQuery = {},
  onInvalid?: InvalidItemHandler,
): AsyncGenerator<KalshiEvent> {
  return normalize(client.events(query), (raw) => parseRestEvent(raw), onInvalid);
}

export async function normalizedSeries(
  client: KalshiRestClient,
  query: SeriesQuery = {},
  onInvalid?: InvalidItemHandler,
): Promise<KalshiSeries[]> {
  const all: KalshiSeries[] = [];
  const source = (async function* () {
    yield* await client.series(query);
  })();
  for await (const series of normalize(source, (raw) => parseRestSeries(raw), onInvalid)) all.push(series);
  return all;
}

export async function normalizedMarket(client: KalshiRestClient, ticker: string): Promise<KalshiMarket> {
  const raw = await client.market(ticker);
  try {
    return parseRestMarket(raw);
  } catch (error) {
    throw toParseError(error);
  }
}

/** The REST book as a snapshot (sid/seq undefined: REST books carry neither). */
export async function orderbookSnapshot(
  client: KalshiRestClient,
  ticker: string,
  depth?: number,
): Promise<OrderbookSnapshot> {
  const body = await client.orderbook(ticker, depth);
  try {
    return parseRestOrderbook(body, ticker);
  } catch (error) {
    throw toParseError(error);
  }
}
