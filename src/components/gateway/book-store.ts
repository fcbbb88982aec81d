/**
 * Live per-market state built from the stream: order books from snapshots and deltas, ticker
 * state, trades. Gap and disconnect records mark the affected books stale (reset, subscribers
 * told) until the next snapshot: a delta is never applied across a gap. Every record is handled
 * without throwing; what cannot be used is counted.
 */
import { complement } from "../../core/decimal.js";
import { type GapRecord, isGapRecord } from "../../core/gap-records.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type {
  KalshiMessage,
  Level,
  OrderbookDelta,
  OrderbookSnapshot,
  TickerUpdate,
  TickerV2Update,
  Trade,
} from "../../core/kalshi/types.js";
import type { BookView } from "../../core/orderbook.js";
import { type EventType, orderbookEvent, statusEvent, tickerEvent, tradeEvent } from "./events.js";
import { marketsAffectedBy, SubscriptionKinds } from "./gap-scope.js";
import { Market } from "./market.js";
import { mergeTicker } from "./ticker-state.js";

export interface FeedRecord {
  subject: string;
  text: string;
  /** Receive time at the connector (Ssmd-Recv-Us), µs. */
  rtUs: number;
  conn: string | undefined;
}

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

export class BookStore {
  readonly markets = new Map<string, Market>();
  readonly counters: StoreCounters = {
    records: 0,
    byChannel: {},
    parseErrors: 0,
    gaps: 0,
    deltasWithoutBook: 0,
    crossedBooks: 0,
    booksReset: 0,
  };
  readonly gapsByDay = new Map<string, number>();
  lastDataRtUs = 0;
  /** The last connector outage record still open (ended_at null): the connector is down. */
  openOutage: GapRecord | undefined;
  private readonly subscriptions = new SubscriptionKinds();
  private readonly dataPrefix: string;
  private readonly statusPrefix: string;

  constructor(
    prefix: string,
    private readonly sizes: { recentTrades: number; priceHistory: number },
    private readonly sink: EventSink,
  ) {
    this.dataPrefix = `${prefix}.json.`;
    this.statusPrefix = `${prefix}.status.`;
  }

  apply(record: FeedRecord): void {
    this.counters.records += 1;
    if (record.subject.startsWith(this.dataPrefix)) {
      const channel = record.subject.slice(
        this.dataPrefix.length,
        record.subject.indexOf(".", this.dataPrefix.length),
      );
      this.count(channel);
      this.applyData(record);
    } else if (record.subject.startsWith(this.statusPrefix)) {
      this.count(`status.${record.subject.slice(this.statusPrefix.length)}`);
      this.applyStatus(record);
    } else this.count("other");
  }

  /** Marks every live book stale (a gap in the gateway's own feed, or its bus reconnecting). */
  resetAll(reason: string, tsMs: number): void {
    for (const market of this.markets.values()) this.markStale(market, reason, tsMs);
  }

  market(ticker: string): Market | undefined {
    return this.markets.get(ticker);
  }

  /** The full-book event for a live book (sent on subscribe and after conflation). */
  snapshotText(ticker: string): string | undefined {
    const market = this.markets.get(ticker);
    if (market?.state !== "live") return undefined;
    return orderbookEvent(ticker, market.book.view(), market.bookTsMs, true);
  }

  tickerText(ticker: string): string | undefined {
    const state = this.markets.get(ticker)?.ticker;
    return state ? tickerEvent(ticker, state) : undefined;
  }

  statusText(ticker: string): string | undefined {
    const market = this.markets.get(ticker);
    if (!market) return undefined;
    const reason = market.state === "waiting" ? "no snapshot yet" : market.staleReason;
    return statusEvent({ ticker, state: market.state, reason, tsMs: market.updatedMs });
  }

  private count(channel: string): void {
    this.counters.byChannel[channel] = (this.counters.byChannel[channel] ?? 0) + 1;
  }

  private applyData(record: FeedRecord): void {
    const parsed = parseFrame(record.text);
    if (!parsed.ok) {
      this.counters.parseErrors += 1;
      return;
    }
    this.lastDataRtUs = Math.max(this.lastDataRtUs, record.rtUs);
    if (this.openOutage) this.openOutage = undefined;
    this.applyMessage(parsed.message, record);
  }

  private applyMessage(message: KalshiMessage, record: FeedRecord): void {
    const rtMs = Math.floor(record.rtUs / 1000);
    if (message.sid !== undefined && record.conn !== undefined) {
      this.subscriptions.saw(record.conn, message.sid, message.kind);
    }
    switch (message.kind) {
      case "orderbook_snapshot":
        this.applySnapshot(message, record.conn, rtMs);
        return;
      case "orderbook_delta":
        this.applyDelta(message, record.conn, rtMs);
        return;
      case "trade":
        this.applyTrade(message);
        return;
      case "ticker":
      case "ticker_v2":
        this.applyTicker(message, rtMs);
        return;
      case "market_lifecycle_v2":
        this.marketFor(message.ticker, rtMs).lifecycle = message.eventType;
        return;
      default:
        return;
    }
  }

  private marketFor(ticker: string, tsMs: number): Market {
    let market = this.markets.get(ticker);
    if (!market) {
      market = new Market(ticker, this.sizes.recentTrades, this.sizes.priceHistory);
      this.markets.set(ticker, market);
    }
    market.updatedMs = Math.max(market.updatedMs, tsMs);
    return market;
  }

  private applySnapshot(snapshot: OrderbookSnapshot, conn: string | undefined, rtMs: number): void {
    const market = this.marketFor(snapshot.ticker, rtMs);
    market.book.applySnapshot(snapshot);
    market.conn = conn;
    market.bookTsMs = rtMs;
    const wasLive = market.state === "live";
    market.state = "live";
    market.staleReason = undefined;
    if (market.book.isCrossed()) this.counters.crossedBooks += 1;
    if (!this.sink.wants(snapshot.ticker)) return;
    if (!wasLive)
      this.sink.emit(
        snapshot.ticker,
        "status",
        statusEvent({ ticker: snapshot.ticker, state: "live", tsMs: rtMs }),
      );
    this.sink.emit(
      snapshot.ticker,
      "orderbook",
      orderbookEvent(snapshot.ticker, market.book.view(), rtMs, true),
    );
  }

  private applyDelta(delta: OrderbookDelta, conn: string | undefined, rtMs: number): void {
    const market = this.marketFor(delta.ticker, rtMs);
    if (market.state !== "live" || !market.book.applyDelta(delta)) {
      this.counters.deltasWithoutBook += 1;
      return;
    }
    market.conn = conn ?? market.conn;
    const tsMs = delta.tsMs ?? rtMs;
    market.bookTsMs = tsMs;
    if (market.book.isCrossed()) this.counters.crossedBooks += 1;
    if (!this.sink.wants(delta.ticker)) return;
    const size = market.book.sizeAt(delta.side, delta.price);
    const level: Level = delta.side === "yes" ? [delta.price, size] : [complement(delta.price), size];
    const change: BookView = delta.side === "yes" ? { bids: [level], asks: [] } : { bids: [], asks: [level] };
    this.sink.emit(delta.ticker, "orderbook", orderbookEvent(delta.ticker, change, tsMs, false));
  }

  private applyTrade(trade: Trade): void {
    const market = this.marketFor(trade.ticker, trade.tsMs);
    const info = {
      id: trade.tradeId,
      price: trade.yesPrice,
      size: trade.count,
      side: trade.takerSide,
      tsMs: trade.tsMs,
    };
    market.recordTrade(info);
    if (this.sink.wants(trade.ticker)) this.sink.emit(trade.ticker, "trade", tradeEvent(trade.ticker, info));
  }

  private applyTicker(update: TickerUpdate | TickerV2Update, rtMs: number): void {
    const market = this.marketFor(update.ticker, rtMs);
    market.ticker = mergeTicker(market.ticker, update, rtMs);
    if (this.sink.wants(update.ticker))
      this.sink.emit(update.ticker, "ticker", tickerEvent(update.ticker, market.ticker));
  }

  private applyStatus(record: FeedRecord): void {
    let value: unknown;
    try {
      value = JSON.parse(record.text);
    } catch {
      this.counters.parseErrors += 1;
      return;
    }
    if (!isGapRecord(value)) return;
    this.counters.gaps += 1;
    const day = typeof value.started_at === "string" ? value.started_at.slice(0, 10) : "unknown";
    this.gapsByDay.set(day, (this.gapsByDay.get(day) ?? 0) + 1);
    if (value.type === "ssmd_disconnect") this.openOutage = value.ended_at === null ? value : undefined;
    // A gap on a trade/ticker/lifecycle subscription loses no book data (and brings no snapshot).
    if (!this.subscriptions.mayCarryBooks(value.conn, value.sid)) return;
    const tsMs = Math.floor(record.rtUs / 1000);
    for (const market of marketsAffectedBy(value, this.markets))
      this.markStale(market, String(value.reason), tsMs);
  }

  private markStale(market: Market, reason: string, tsMs: number): void {
    if (market.state !== "live") return;
    market.book.reset();
    market.state = "stale";
    market.staleReason = reason;
    market.updatedMs = Math.max(market.updatedMs, tsMs);
    this.counters.booksReset += 1;
    if (this.sink.wants(market.symbol)) {
      this.sink.emit(
        market.symbol,
        "status",
        statusEvent({ ticker: market.symbol, state: "stale", reason, tsMs }),
      );
    }
  }
}
