/**
 * A MarketDataSource (the simulator's WebSocket server contract) fed by replayed archive records,
 * so `ssmd data replay --to kalshi-ws` speaks the exact handshake, commands and frames of
 * `ssmd sim`. Frame bodies are the archived `msg` objects; books are rebuilt from archived
 * snapshots/deltas so a client subscribing mid-replay gets a correct snapshot.
 */

import { looksLikeGapRecord } from "../../core/gap-records.js";
import { encodeSnapshotBody } from "../../core/kalshi/encode.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import { OrderBook } from "../../core/orderbook.js";
import type { StreamRecord } from "../../core/record.js";
import type { DataChannel, MarketDataSource, SourceEvent } from "../sim/index.js";

const CHANNEL_OF_TYPE: Record<string, DataChannel> = {
  trade: "trade",
  ticker: "ticker",
  ticker_v2: "ticker",
  orderbook_snapshot: "orderbook_delta",
  orderbook_delta: "orderbook_delta",
  market_lifecycle_v2: "market_lifecycle_v2",
  event_lifecycle: "market_lifecycle_v2",
};

interface Frame {
  type?: unknown;
  msg?: unknown;
}

export class ArchiveMarketSource implements MarketDataSource {
  private readonly listeners = new Set<(event: SourceEvent) => void>();
  private readonly books = new Map<string, OrderBook>();
  private readonly tickerBodies = new Map<string, string>();
  private readonly marketIds = new Map<string, string>();
  private readonly markets: Set<string>;
  skipped = 0;

  constructor(knownTickers: Iterable<string> = []) {
    this.markets = new Set(knownTickers);
  }

  hasMarket(ticker: string): boolean {
    return this.markets.has(ticker);
  }

  tickerOfMarketId(marketId: string): string | undefined {
    return this.marketIds.get(marketId);
  }

  marketTickers(): string[] {
    return [...this.markets];
  }

  snapshotBody(ticker: string, useYesPrice: boolean): string | undefined {
    if (!this.markets.has(ticker)) return undefined;
    const book = this.books.get(ticker);
    const ascending = (side: "yes" | "no") => (book?.hasSnapshot ? book.levels(side).reverse() : []);
    const snapshot = {
      kind: "orderbook_snapshot" as const,
      ticker,
      marketId: undefined,
      sid: undefined,
      seq: undefined,
      yes: ascending("yes"),
      no: ascending("no"),
    };
    return encodeSnapshotBody(snapshot, { format: "current", useYesPrice });
  }

  tickerBody(ticker: string): string | undefined {
    return this.tickerBodies.get(ticker);
  }

  onEvent(listener: (event: SourceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One replayed record: update state, then hand the frame to every session. */
  feed(record: StreamRecord): void {
    if (record.subject.includes(".status.")) {
      // a gap or disconnect makes every book unknown; other status records (dlq) change nothing
      if (looksLikeGapRecord(record.msg)) for (const book of this.books.values()) book.reset();
      return;
    }
    let frame: Frame;
    try {
      frame = JSON.parse(record.msg) as Frame;
    } catch {
      this.skipped++;
      return;
    }
    const type = typeof frame.type === "string" ? frame.type : "";
    const channel = CHANNEL_OF_TYPE[type];
    const parsed = parseFrame(record.msg);
    if (!channel || !parsed.ok || typeof frame.msg !== "object" || frame.msg === null) {
      this.skipped++;
      return;
    }
    const ticker = this.track(parsed.message);
    if (ticker === undefined) return;
    const body = JSON.stringify(frame.msg);
    if (channel === "ticker") this.tickerBodies.set(ticker, body);
    const event: SourceEvent = { channel, type, ticker, body: () => body };
    for (const listener of this.listeners) listener(event);
  }

  private track(message: KalshiMessage): string | undefined {
    switch (message.kind) {
      case "orderbook_snapshot":
      case "orderbook_delta": {
        this.markets.add(message.ticker);
        if (message.marketId) this.marketIds.set(message.marketId, message.ticker);
        let book = this.books.get(message.ticker);
        if (!book) {
          book = new OrderBook(message.ticker);
          this.books.set(message.ticker, book);
        }
        if (message.kind === "orderbook_snapshot") book.applySnapshot(message);
        else book.applyDelta(message);
        return message.ticker;
      }
      case "ticker":
      case "ticker_v2":
        if (message.marketId) this.marketIds.set(message.marketId, message.ticker);
        this.markets.add(message.ticker);
        return message.ticker;
      case "trade":
      case "market_lifecycle_v2":
        this.markets.add(message.ticker);
        return message.ticker;
      case "event_lifecycle":
        return message.eventTicker;
      default:
        return undefined;
    }
  }
}
