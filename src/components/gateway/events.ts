/**
 * What the gateway sends to clients (contract: ARCHITECTURE.md §3), encoded once per event and
 * shared by every subscriber. Prices are dollars and sizes contracts, as JSON numbers; the
 * exact integers of core/decimal.ts are converted only here.
 *
 *   {"type":"orderbook","ticker","snapshot":true,"bids":[[p,s]...],"asks":[[p,s]...],"ts"}
 *       full book in YES terms (bids best first; asks = 1 − NO bids, best first)
 *   {"type":"orderbook","ticker","snapshot":false,"bids":[[p,s]],"asks":[],"ts"}
 *       update: the new absolute size at each changed level (0 = level removed)
 *   {"type":"trade","ticker","price","size","side","ts","id"}
 *   {"type":"ticker","ticker","price","bid","ask","bid_size","ask_size","volume","open_interest","ts"}
 *   {"type":"status","ticker"?,"state","reason"?,"ts"}
 *   {"type":"error","code","message","symbols"?,"suggestions"?}
 */
import { toContracts, toDollars } from "../../core/decimal.js";
import type { Level, Side } from "../../core/kalshi/types.js";
import type { BookView } from "../../core/orderbook.js";

export type EventType = "orderbook" | "trade" | "ticker" | "status" | "error";
export const EVENT_TYPES: readonly EventType[] = ["orderbook", "trade", "ticker", "status", "error"];

/** Channels a client can choose; status and error events always go out. */
export type ClientChannel = "orderbook" | "trade" | "ticker";
export const CLIENT_CHANNELS: readonly ClientChannel[] = ["orderbook", "trade", "ticker"];

export interface TickerState {
  price: number | undefined;
  bid: number | undefined;
  ask: number | undefined;
  bidSize: number | undefined;
  askSize: number | undefined;
  volume: number | undefined;
  openInterest: number | undefined;
  tsMs: number;
}

export interface TradeInfo {
  id: string;
  price: number;
  size: number;
  side: Side | undefined;
  tsMs: number;
}

export type BookState = "live" | "stale" | "waiting";

function levels(list: Level[]): string {
  let text = "[";
  for (let index = 0; index < list.length; index++) {
    const [price, size] = list[index]!;
    text += `${index === 0 ? "" : ","}[${toDollars(price)},${toContracts(size)}]`;
  }
  return `${text}]`;
}

function orNull(value: number | undefined, convert: (units: number) => number): string {
  return value === undefined ? "null" : String(convert(value));
}

export function orderbookEvent(ticker: string, book: BookView, tsMs: number, snapshot: boolean): string {
  return `{"type":"orderbook","ticker":${JSON.stringify(ticker)},"snapshot":${snapshot},"bids":${levels(book.bids)},"asks":${levels(book.asks)},"ts":${tsMs}}`;
}

export function tradeEvent(ticker: string, trade: TradeInfo): string {
  const side = trade.side === undefined ? "null" : `"${trade.side}"`;
  return `{"type":"trade","ticker":${JSON.stringify(ticker)},"price":${toDollars(trade.price)},"size":${toContracts(trade.size)},"side":${side},"ts":${trade.tsMs},"id":${JSON.stringify(trade.id)}}`;
}

export function tickerEvent(ticker: string, state: TickerState): string {
  return (
    `{"type":"ticker","ticker":${JSON.stringify(ticker)},"price":${orNull(state.price, toDollars)},` +
    `"bid":${orNull(state.bid, toDollars)},"ask":${orNull(state.ask, toDollars)},` +
    `"bid_size":${orNull(state.bidSize, toContracts)},"ask_size":${orNull(state.askSize, toContracts)},` +
    `"volume":${orNull(state.volume, toContracts)},"open_interest":${orNull(state.openInterest, toContracts)},"ts":${state.tsMs}}`
  );
}

export interface StatusInput {
  ticker?: string;
  state: BookState | "shutdown";
  reason?: string;
  tsMs: number;
}

export function statusEvent(input: StatusInput): string {
  return JSON.stringify({ type: "status", ...input, ts: input.tsMs, tsMs: undefined });
}

export type ErrorCode =
  | "malformed_json"
  | "bad_request"
  | "unknown_symbol"
  | "too_many_symbols"
  | "unknown_channel";

export function errorEvent(
  code: ErrorCode,
  message: string,
  extra: { symbols?: string[]; suggestions?: Record<string, string> } = {},
): string {
  return JSON.stringify({ type: "error", code, message, ...extra });
}
