/**
 * Who receives what: symbol → subscribed sessions. Each event is encoded and framed once (one
 * WebSocket frame shared by every subscriber) and queued on each session; one setImmediate then flushes every session
 * that got something, so a burst of feed messages leaves in batched socket writes.
 */
import type { EventSink } from "./book-store.js";
import type { EventType } from "./events.js";
import { type QueueItem, queueItem } from "./ws-frame.js";

/** What the fan-out needs from a client session. */
export interface Subscriber {
  wants(ticker: string, type: EventType): boolean;
  deliver(item: QueueItem, ticker: string): void;
  flush(): void;
}

export class Fanout implements EventSink {
  private readonly bySymbol = new Map<string, Set<Subscriber>>();
  private readonly toFlush = new Set<Subscriber>();
  private flushScheduled = false;

  wants(ticker: string): boolean {
    return this.bySymbol.has(ticker);
  }

  emit(ticker: string, type: EventType, text: string): void {
    const subscribers = this.bySymbol.get(ticker);
    if (!subscribers) return;
    const item = queueItem(text, type);
    for (const subscriber of subscribers) {
      if (subscriber.wants(ticker, type)) subscriber.deliver(item, ticker);
    }
  }

  add(ticker: string, subscriber: Subscriber): void {
    let set = this.bySymbol.get(ticker);
    if (!set) {
      set = new Set();
      this.bySymbol.set(ticker, set);
    }
    set.add(subscriber);
  }

  remove(ticker: string, subscriber: Subscriber): void {
    const set = this.bySymbol.get(ticker);
    if (!set) return;
    set.delete(subscriber);
    if (set.size === 0) this.bySymbol.delete(ticker);
  }

  /** Subscriber count per symbol (for the bounded-cardinality metric). */
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [ticker, set] of this.bySymbol) out.set(ticker, set.size);
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
