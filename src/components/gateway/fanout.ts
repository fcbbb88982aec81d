/**
 * Who receives what: symbol → channel → subscribed sessions. Each event is encoded and framed
 * once (one WebSocket frame shared by every subscriber) and queued on each session; one
 * setImmediate then flushes every session that got something, so a burst of feed messages
 * leaves in batched socket writes.
 */
import type { EventSink } from "./book-store.js";
import { CLIENT_CHANNELS, type ClientChannel, type EventType } from "./events.js";
import { type QueueItem, queueItem } from "./ws-frame.js";

/** What the fan-out needs from a client session. */
export interface Subscriber {
  deliver(item: QueueItem, ticker: string): void;
  flush(): void;
}

/** One symbol's subscribers: all of them (status events) and per channel. */
interface SymbolSubscribers {
  all: Set<Subscriber>;
  byChannel: Record<ClientChannel, Set<Subscriber>>;
}

export class Fanout implements EventSink {
  private readonly bySymbol = new Map<string, SymbolSubscribers>();
  private readonly toFlush = new Set<Subscriber>();
  private flushScheduled = false;

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
    this.toFlush.add(subscriber);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushAll());
  }

  private flushAll(): void {
    this.flushScheduled = false;
    const batch = [...this.toFlush];
    this.toFlush.clear();
    for (const subscriber of batch) subscriber.flush();
  }
}
