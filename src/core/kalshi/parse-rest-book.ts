/**
 * REST Trade (GET /markets/trades) and Orderbook (GET /markets/{ticker}/orderbook) responses,
 * normalized to the same Trade and OrderbookSnapshot shapes the WebSocket parsers produce (with
 * sid and seq undefined: REST carries neither), so an OrderBook can be seeded from either.
 * REST books: current `orderbook_fp: {yes_dollars: [["0.1100","97.22"]], no_dollars}`; legacy
 * `orderbook: {yes: [[cents, count]], yes_dollars: [["0.11", count]], ...}`. Bids only, ascending.
 */
import {
  centsPrice,
  dollarsPrice,
  FieldReader,
  fieldError,
  fpCount,
  integerCount,
  isObject,
} from "./parse-fields.js";
import { parseTrade } from "./parse-trade.js";
import type { Level, OrderbookSnapshot, Side, Trade } from "./types.js";

const NO_ENVELOPE = { sid: undefined, seq: undefined };

/** One REST Trade (`ticker` or `market_ticker`, `created_time` as its time). */
export function parseRestTrade(value: unknown, path = "trade"): Trade {
  if (!isObject(value)) throw fieldError(path, "a trade object", value);
  return parseTrade(new FieldReader(value, path), NO_ENVELOPE);
}

function readLevels(value: unknown, path: string, legacyCents: boolean): Level[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw fieldError(path, "an array of levels", value);
  return value.map((entry, index) => {
    const at = `${path}[${index}]`;
    if (!Array.isArray(entry) || entry.length !== 2) throw fieldError(at, "a [price, size] pair", entry);
    const price = legacyCents ? centsPrice(entry[0], `${at}[0]`) : dollarsPrice(entry[0], `${at}[0]`);
    const size =
      typeof entry[1] === "number" ? integerCount(entry[1], `${at}[1]`) : fpCount(entry[1], `${at}[1]`);
    return [price, size];
  });
}

function readBookSide(book: FieldReader, side: Side): Level[] {
  const dollarsKey = `${side}_dollars`;
  if (book.has(dollarsKey)) return readLevels(book.take(dollarsKey), book.field(dollarsKey), false);
  return readLevels(book.take(side), book.field(side), true);
}

/** GET /markets/{ticker}/orderbook body → a snapshot for `ticker`. */
export function parseRestOrderbook(body: unknown, ticker: string): OrderbookSnapshot {
  if (!isObject(body)) throw fieldError("response", "an object", body);
  const raw = body["orderbook_fp"] ?? body["orderbook"];
  const path = body["orderbook_fp"] !== undefined ? "response.orderbook_fp" : "response.orderbook";
  if (!isObject(raw)) throw fieldError(path, "an orderbook object", raw);
  const book = new FieldReader(raw, path);
  return {
    kind: "orderbook_snapshot",
    sid: undefined,
    seq: undefined,
    ticker,
    marketId: undefined,
    yes: readBookSide(book, "yes"),
    no: readBookSide(book, "no"),
  };
}
