/**
 * Everything the gateway knows about one market: the order book (with whether it can be
 * trusted), the last ticker state, recent trades and a short price history for the chart.
 * Pure state; the book store decides what to send.
 */
import type { Count, Price } from "../../core/decimal.js";
import { OrderBook } from "../../core/orderbook.js";
import type { BookState, TickerState, TradeInfo } from "./events.js";

/** A fixed-capacity ring: the newest `capacity` items, oldest first. */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Newest first, at most `limit`. */
  newest(limit = this.capacity): T[] {
    const out: T[] = [];
    for (let index = this.items.length - 1; index >= 0 && out.length < limit; index--) {
      out.push(this.items[(this.start + index) % this.items.length]!);
    }
    return out;
  }

  get size(): number {
    return this.items.length;
  }
}

/** A top-of-book side: price and size (undefined = size unknown). */
export type Quote = readonly [Price, Count | undefined];

export class Market {
  readonly book: OrderBook;
  state: BookState = "waiting";
  /** Why the book is stale (gap reason), while it is. */
  staleReason: string | undefined;
  /** Connection id that last sent book data (gap records may name a connection). */
  conn: string | undefined;
  ticker: TickerState | undefined;
  lifecycle: string | undefined;
  readonly trades: Ring<TradeInfo>;
  /** [ts ms, price units] of trades, for the chart. */
  readonly prices: Ring<[number, Price]>;
  tradeCount = 0;
  /** Sum of trade sizes seen by this gateway (Count units). */
  tradedSize = 0;
  updatedMs = 0;
  bookTsMs = 0;

  constructor(
    readonly symbol: string,
    recentTrades: number,
    priceHistory: number,
  ) {
    this.book = new OrderBook(symbol);
    this.trades = new Ring(recentTrades);
    this.prices = new Ring(priceHistory);
  }

  recordTrade(trade: TradeInfo): void {
    this.trades.push(trade);
    this.prices.push([trade.tsMs, trade.price]);
    this.tradeCount += 1;
    this.tradedSize += trade.size;
  }

  /**
   * Best YES bid and ask from the book when it is live, else from the last ticker message
   * (whose sizes may be unknown: older frames carry prices only).
   */
  topOfBook(): { bid: Quote | undefined; ask: Quote | undefined; source: "book" | "ticker" | "none" } {
    if (this.state === "live")
      return { bid: this.book.bestYesBid(), ask: this.book.bestYesAsk(), source: "book" };
    const t = this.ticker;
    if (!t) return { bid: undefined, ask: undefined, source: "none" };
    return {
      bid: t.bid === undefined ? undefined : [t.bid, t.bidSize],
      ask: t.ask === undefined ? undefined : [t.ask, t.askSize],
      source: "ticker",
    };
  }

  lastPrice(): Price | undefined {
    return this.trades.newest(1)[0]?.price ?? this.ticker?.price;
  }
}
