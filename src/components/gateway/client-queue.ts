/**
 * One client's bounded send queue. Below `conflateAbove` everything is queued in order. Above
 * it the client is behind: order-book and ticker updates are no longer queued — the symbol is
 * only marked dirty — and once the queue drains to half that mark, each dirty symbol gets one
 * event with its latest state (a full book snapshot, the latest ticker). Trades, status and
 * errors are never dropped; when they alone push the queue past its hard bounds the caller
 * disconnects the client. Memory per client is bounded by maxMessages/maxBytes + dirty symbols.
 */
import type { QueueItem } from "./ws-frame.js";

export type PushResult = "queued" | "conflated" | "overflow";

export interface QueueLimits {
  conflateAboveMessages: number;
  maxQueueMessages: number;
  maxQueueBytes: number;
}

/** Latest state of a symbol, for refills: full book / ticker event, or undefined (then a status). */
export type Refill = (ticker: string, type: "orderbook" | "ticker") => QueueItem | undefined;

const FIRST_CAPACITY = 16;

export class ClientQueue {
  /** A ring (capacity a power of two, grown by doubling): no allocation per message once warm. */
  private ring: (QueueItem | undefined)[] = new Array(FIRST_CAPACITY);
  private head = 0;
  private count = 0;
  private queuedBytes = 0;
  private readonly dirty = new Map<string, Set<"orderbook" | "ticker">>();
  /** When the client fell behind (ms), while it is. */
  behindSinceMs: number | undefined;

  constructor(
    private readonly limits: QueueLimits,
    private readonly refill: Refill,
  ) {}

  get length(): number {
    return this.count;
  }

  get bytes(): number {
    return this.queuedBytes;
  }

  get conflating(): boolean {
    return this.behindSinceMs !== undefined;
  }

  push(item: QueueItem, ticker: string | undefined, now: () => number): PushResult {
    const conflatable = ticker !== undefined && (item.type === "orderbook" || item.type === "ticker");
    if (this.conflating && conflatable) {
      this.markDirty(ticker, item.type as "orderbook" | "ticker");
      return "conflated";
    }
    this.append(item);
    if (!this.conflating && this.length > this.limits.conflateAboveMessages) this.behindSinceMs = now();
    const over = this.length > this.limits.maxQueueMessages || this.queuedBytes > this.limits.maxQueueBytes;
    return over ? "overflow" : "queued";
  }

  /** Next item to write, or undefined. Leaving the behind state refills dirty symbols first. */
  shift(): QueueItem | undefined {
    if (this.conflating && this.length <= this.limits.conflateAboveMessages >> 1) this.catchUp();
    if (this.count === 0) return undefined;
    const item = this.ring[this.head] as QueueItem;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) & (this.ring.length - 1);
    this.count -= 1;
    this.queuedBytes -= item.frame.length;
    return item;
  }

  /** Drops everything queued for a symbol's conflatable updates (unsubscribe). */
  forget(ticker: string): void {
    this.dirty.delete(ticker);
  }

  clear(): void {
    this.ring = new Array(FIRST_CAPACITY);
    this.head = 0;
    this.count = 0;
    this.queuedBytes = 0;
    this.dirty.clear();
  }

  private markDirty(ticker: string, type: "orderbook" | "ticker"): void {
    let types = this.dirty.get(ticker);
    if (!types) {
      types = new Set();
      this.dirty.set(ticker, types);
    }
    types.add(type);
  }

  private catchUp(): void {
    this.behindSinceMs = undefined;
    for (const [ticker, types] of this.dirty) {
      for (const type of types) {
        const item = this.refill(ticker, type);
        if (item) this.append(item);
      }
    }
    this.dirty.clear();
  }

  private append(item: QueueItem): void {
    if (this.count === this.ring.length) this.grow();
    this.ring[(this.head + this.count) & (this.ring.length - 1)] = item;
    this.count += 1;
    this.queuedBytes += item.frame.length;
  }

  private grow(): void {
    const larger: (QueueItem | undefined)[] = new Array(this.ring.length * 2);
    for (let index = 0; index < this.count; index++)
      larger[index] = this.ring[(this.head + index) & (this.ring.length - 1)];
    this.ring = larger;
    this.head = 0;
  }
}
