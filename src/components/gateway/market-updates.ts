/**
 * What each stream message does to one market, and the events it sends: a snapshot makes the
 * book live, a delta applies only to a live book, trades and ticker updates are recorded, a gap
 * marks the book stale until the next snapshot. Nothing is encoded for a ticker nobody wants.
 */
import { complement } from "../../core/decimal.js";
import type {
  Level,
  OrderbookDelta,
  OrderbookSnapshot,
  TickerUpdate,
  TickerV2Update,
  Trade,
} from "../../core/kalshi/types.js";
import type { BookView } from "../../core/orderbook.js";
import { type EventType, orderbookEvent, statusEvent, tickerEvent, tradeEvent } from "./events.js";
import type { Market } from "./market.js";
import { mergeTicker } from "./ticker-state.js";

/** Where events go: the fan-out. `wants` lets the store skip encoding nobody would receive. */
export interface EventSink {
  wants(ticker: string): boolean;
  emit(ticker: string, type: EventType, text: string): void;
}

export interface StoreCounters {
  records: number;
  byChannel: Record<string, number>;
  parseErrors: number;
  gaps: number;
  deltasWithoutBook: number;
  crossedBooks: number;
  booksReset: number;
}

/** What an update touches besides the market: the store's counters and the fan-out. */
export interface UpdateContext {
  readonly counters: StoreCounters;
  readonly sink: EventSink;
}

export function applySnapshot(
  { counters, sink }: UpdateContext,
  market: Market,
  snapshot: OrderbookSnapshot,
  conn: string | undefined,
  rtMs: number,
): void {
  market.book.applySnapshot(snapshot);
  market.conn = conn;
  market.bookTsMs = rtMs;
  const wasLive = market.state === "live";
  market.state = "live";
  market.staleReason = undefined;
  if (market.book.isCrossed()) counters.crossedBooks += 1;
  if (!sink.wants(snapshot.ticker)) return;
  if (!wasLive)
    sink.emit(snapshot.ticker, "status", statusEvent({ ticker: snapshot.ticker, state: "live", tsMs: rtMs }));
  sink.emit(snapshot.ticker, "orderbook", orderbookEvent(snapshot.ticker, market.book.view(), rtMs, true));
}

export function applyDelta(
  { counters, sink }: UpdateContext,
  market: Market,
  delta: OrderbookDelta,
  conn: string | undefined,
  rtMs: number,
): void {
  if (market.state !== "live" || !market.book.applyDelta(delta)) {
    counters.deltasWithoutBook += 1;
    return;
  }
  market.conn = conn ?? market.conn;
  const tsMs = delta.tsMs ?? rtMs;
  market.bookTsMs = tsMs;
  if (market.book.isCrossed()) counters.crossedBooks += 1;
  if (!sink.wants(delta.ticker)) return;
  const size = market.book.sizeAt(delta.side, delta.price);
  const level: Level = delta.side === "yes" ? [delta.price, size] : [complement(delta.price), size];
  const change: BookView = delta.side === "yes" ? { bids: [level], asks: [] } : { bids: [], asks: [level] };
  sink.emit(delta.ticker, "orderbook", orderbookEvent(delta.ticker, change, tsMs, false));
}

export function applyTrade({ sink }: UpdateContext, market: Market, trade: Trade): void {
  const info = {
    id: trade.tradeId,
    price: trade.yesPrice,
    size: trade.count,
    side: trade.takerSide,
    tsMs: trade.tsMs,
  };
  market.recordTrade(info);
  if (sink.wants(trade.ticker)) sink.emit(trade.ticker, "trade", tradeEvent(trade.ticker, info));
}

export function applyTicker(
  { sink }: UpdateContext,
  market: Market,
  update: TickerUpdate | TickerV2Update,
  rtMs: number,
): void {
  market.ticker = mergeTicker(market.ticker, update, rtMs);
  if (sink.wants(update.ticker))
    sink.emit(update.ticker, "ticker", tickerEvent(update.ticker, market.ticker));
}

/** Resets a live book until the next snapshot and tells its subscribers why. */
export function markStale(
  { counters, sink }: UpdateContext,
  market: Market,
  reason: string,
  tsMs: number,
): void {
  if (market.state !== "live") return;
  market.book.reset();
  market.state = "stale";
  market.staleReason = reason;
  market.updatedMs = Math.max(market.updatedMs, tsMs);
  counters.booksReset += 1;
  if (sink.wants(market.symbol))
    sink.emit(market.symbol, "status", statusEvent({ ticker: market.symbol, state: "stale", reason, tsMs }));
}
