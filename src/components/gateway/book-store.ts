/**
 * Live per-market state built from the stream: order books from snapshots and deltas, ticker
 * state, trades. Gap and disconnect records mark the affected books stale (reset, subscribers
 * told) until the next snapshot: a delta is never applied across a gap. Every record is handled
 * without throwing; what cannot be used is counted.
 */
import { type GapRecord, isGapRecord } from "../../core/gap-records.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import { orderbookEvent, statusEvent, tickerEvent } from "./events.js";
import { marketsAffectedBy, SubscriptionKinds } from "./gap-scope.js";
import { Market } from "./market.js";
import {
  applyDelta,
  applySnapshot,
  applyTicker,
  applyTrade,
  type EventSink,
  markStale,
  type StoreCounters,
  type UpdateContext,
} from "./market-updates.js";

export interface FeedRecord {
  subject: string;
  text: string;
  /** Receive time at the connector (Ssmd-Recv-Us), µs. */
  rtUs: number;
  conn: string | undefined;
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
  private readonly updates: UpdateContext;

  constructor(
    prefix: string,
    private readonly sizes: { recentTrades: number; priceHistory: number },
    sink: EventSink,
  ) {
    this.dataPrefix = `${prefix}.json.`;
    this.statusPrefix = `${prefix}.status.`;
    this.updates = { counters: this.counters, sink };
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
    for (const market of this.markets.values()) markStale(this.updates, market, reason, tsMs);
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
        applySnapshot(this.updates, this.marketFor(message.ticker, rtMs), message, record.conn, rtMs);
        return;
      case "orderbook_delta":
        applyDelta(this.updates, this.marketFor(message.ticker, rtMs), message, record.conn, rtMs);
        return;
      case "trade":
        applyTrade(this.updates, this.marketFor(message.ticker, message.tsMs), message);
        return;
      case "ticker":
      case "ticker_v2":
        applyTicker(this.updates, this.marketFor(message.ticker, rtMs), message, rtMs);
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
      markStale(this.updates, market, String(value.reason), tsMs);
  }
}
