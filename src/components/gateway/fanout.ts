/**
 * Who receives what: symbol → channel → subscribed sessions. Each event is encoded and framed
 * once (one WebSocket frame shared by every subscriber) and queued on each session; one flush
 * round then writes every session that got something, so a burst of feed messages leaves in one
 * socket write per client. After a round the next waits as long as that round took (at most
 * `maxGapMs`): a quiet feed is flushed at once (setImmediate, no added delay), while under load
 * each client's messages of the wait share one write (one syscall) instead of one each — socket
 * writes, not JSON or fan-out, are what a delivered message costs most.
 */

import { CLIENT_CHANNELS, type ClientChannel, type EventType } from "./events.js";
import type { EventSink } from "./market-updates.js";
import { type QueueItem, queueItem } from "./ws-frame.js";

/** What the fan-out needs from a client session. */
export interface Subscriber {
  deliver(item: QueueItem, ticker: string): void;
  flush(): void;
  /** Set by the fan-out while the subscriber waits for the next flush round (no double entry). */
  flushPending: boolean;
}

/** One symbol's subscribers: all of them (status events) and per channel. */
interface SymbolSubscribers {
  all: Set<Subscriber>;
  byChannel: Record<ClientChannel, Set<Subscriber>>;
}

export class Fanout implements EventSink {
  private readonly bySymbol = new Map<string, SymbolSubscribers>();
  private toFlush: Subscriber[] = [];
  private flushScheduled = false;
  /** When the last flush round ended, and how long the next must wait after it (ms). */
  private lastRoundEndMs = Number.NEGATIVE_INFINITY;
  private gapMs = 0;
  private readonly flushAll = () => this.flushRound();

  /** maxGapMs: the longest wait between two rounds (0: every burst is flushed at once). */
  constructor(private readonly maxGapMs = 0) {}

  wants(ticker: string): boolean {
    return this.bySymbol.has(ticker);
  }

  emit(ticker: string, type: EventType, text: string): void {
    const entry = this.bySymbol.get(ticker);
    if (!entry) return;
    const subscribers = type === "status" || type === "error" ? entry.all : entry.byChannel[type];
    if (subscribers.size === 0) return;
    const item = queueItem(text, type);
    for (const subscriber of subscribers) subscriber.deliver(item, ticker);
  }

  /** Subscribes (or re-subscribes with other channels) one subscriber to a symbol. */
  add(ticker: string, subscriber: Subscriber, channels: ReadonlySet<ClientChannel>): void {
    let entry = this.bySymbol.get(ticker);
    if (!entry) {
      entry = { all: new Set(), byChannel: { orderbook: new Set(), trade: new Set(), ticker: new Set() } };
      this.bySymbol.set(ticker, entry);
    }
    entry.all.add(subscriber);
    for (const channel of CLIENT_CHANNELS) {
      if (channels.has(channel)) entry.byChannel[channel].add(subscriber);
      else entry.byChannel[channel].delete(subscriber);
    }
  }

  remove(ticker: string, subscriber: Subscriber): void {
    const entry = this.bySymbol.get(ticker);
    if (!entry) return;
    entry.all.delete(subscriber);
    for (const channel of CLIENT_CHANNELS) entry.byChannel[channel].delete(subscriber);
    if (entry.all.size === 0) this.bySymbol.delete(ticker);
  }

  /** Subscriber count per symbol (for the bounded-cardinality metric). */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [ticker, entry] of this.bySymbol) out.set(ticker, entry.all.size);
    return out;
  }

  /** Called by a session that queued something: flush it once the current burst is handled. */
  scheduleFlush(subscriber: Subscriber): void {
    if (subscriber.flushPending) return;
    subscriber.flushPending = true;
    this.toFlush.push(subscriber);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const waitMs = this.lastRoundEndMs + this.gapMs - performance.now();
    if (waitMs < 1) setImmediate(this.flushAll);
    else setTimeout(this.flushAll, waitMs);
  }

  private flushRound(): void {
    this.flushScheduled = false;
    const startMs = performance.now();
    const batch = this.toFlush;
    this.toFlush = [];
    for (const subscriber of batch) {
      subscriber.flushPending = false;
      subscriber.flush();
    }
    this.lastRoundEndMs = performance.now();
    // Wait as long as this round took (so writes take at most about half the time), capped.
    this.gapMs = Math.min(this.maxGapMs, this.lastRoundEndMs - startMs);
  }
}
