/**
 * A FIFO from a push source (a nats.js callback) to async readers. `shift()` waits for an item,
 * resolves undefined once ended, and rejects with the error the queue was ended with.
 * Its size is bounded by the source (a JetStream durable never has more than maxAckPending
 * unacked messages outstanding).
 */
export class MessageQueue<T> {
  private items: T[] = [];
  private head = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.notify();
  }

  end(error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = error;
    this.notify();
  }

  /** Removes and returns everything still queued (used to hand messages back on close). */
  takeAll(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }

  /** The next item if one is queued now, else undefined (never waits). */
  tryShift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  async shift(): Promise<T | undefined> {
    while (this.size === 0) {
      if (this.ended) {
        if (this.failure) throw this.failure;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
      });
    }
    return this.tryShift();
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}
