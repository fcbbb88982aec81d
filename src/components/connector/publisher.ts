/**
 * The connector's JetStream publisher: a bounded in-flight window of async publishes with acks,
 * retries with exponential backoff (same Nats-Msg-Id, so a retry of a frame that was in fact
 * stored is deduplicated by JetStream), and a bounded buffer while NATS is unreachable.
 * When the buffer is full new frames are dropped and counted; once NATS takes messages again a
 * loss record (built by the caller: an ssmd_gap with reason publish_buffer_overflow) is
 * published ahead of everything else, so the loss is visible in the stream. Memory never grows
 * without bound; essential status records (gap/disconnect) bypass the bound.
 */
import type { Bus, PublishAck } from "../../adapters/bus/types.js";
import { errorMessage } from "../../core/errors.js";
import { Fifo } from "./bounded-queue.js";
import { DroppedFrames } from "./dropped-frames.js";
import { IdleWaiters } from "./idle-waiters.js";
import { isPermanentRefusal, retryDelayMs } from "./publish-retry.js";
import type { Outbound, PublisherHooks, PublisherOptions } from "./publisher-types.js";

interface Queued extends Outbound {
  order: number;
}

export class Publisher {
  private readonly queue = new Fifo<Queued>();
  private retries: Queued[] = [];
  private inFlightCount = 0;
  private bytes = 0;
  private order = 0;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  /** After close() nothing is sent or retried (a publish failing later must not re-arm a timer). */
  private closed = false;
  private loss: DroppedFrames | undefined;
  private readonly idleWaiters = new IdleWaiters();

  constructor(
    private readonly bus: Bus,
    private readonly options: PublisherOptions,
    private readonly hooks: PublisherHooks,
  ) {}

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Messages waiting (queued + retrying), not counting in-flight ones. */
  get buffered(): number {
    return this.queue.length + this.retries.length;
  }

  /** Receive time of the oldest message not yet acked, or undefined when idle. */
  oldestPendingUs(): number | undefined {
    return this.retries[0]?.recvUs ?? this.queue.peek()?.recvUs;
  }

  /** Queues a frame (taking ownership of the object). Returns false when dropped: the buffer is full. */
  enqueue(message: Outbound, essential = false): boolean {
    const full =
      this.buffered + this.inFlightCount >= this.options.maxBufferedMessages ||
      this.bytes + message.data.length > this.options.maxBufferedBytes;
    if (full && !essential) {
      this.recordLoss(message);
      return false;
    }
    this.bytes += message.data.length;
    const queued = message as Queued; // tagged in place: no copy per frame
    queued.order = this.order++;
    this.queue.push(queued);
    this.pump();
    return true;
  }

  /** Resolves true once everything queued is acked, false if `timeoutMs` passes first. */
  async flush(timeoutMs: number): Promise<boolean> {
    if (this.loss) this.emitLossRecord();
    this.pump();
    if (this.idle()) return true;
    return this.idleWaiters.wait(timeoutMs);
  }

  /** NATS is back: retry now instead of waiting for the backoff timer. */
  resume(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.failures = 0;
    this.pump();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private idle(): boolean {
    return this.inFlightCount === 0 && this.buffered === 0;
  }

  private pump(): void {
    if (this.retryTimer || this.closed) return;
    if (this.retries.length > 0) {
      this.queue.prepend(this.retries.sort((a, b) => a.order - b.order));
      this.retries = [];
    }
    while (this.inFlightCount < this.options.maxInFlight) {
      const next = this.queue.shift();
      if (!next) break;
      this.send(next);
    }
  }

  private send(message: Queued): void {
    this.inFlightCount += 1;
    const options = {
      msgId: message.msgId,
      headers: message.headers,
      timeoutMs: this.options.publishTimeoutMs,
    };
    if (this.bus.publishWithCallback) {
      // The promise-free form: one closure per frame instead of a promise and its reactions.
      this.bus.publishWithCallback(message.subject, message.data, options, (error, ack) => {
        if (ack) this.acked(message, ack);
        else this.failed(message, error);
      });
      return;
    }
    this.bus.publish(message.subject, message.data, options).then(
      (ack) => this.acked(message, ack),
      (error: unknown) => this.failed(message, error),
    );
  }

  private acked(message: Queued, ack: PublishAck): void {
    this.inFlightCount -= 1;
    this.bytes -= message.data.length;
    this.failures = 0;
    this.hooks.onAck(message, ack, this.hooks.nowUs());
    if (this.loss && this.buffered * 2 < this.options.maxBufferedMessages) this.emitLossRecord();
    this.pump();
    if (this.idle()) this.idleWaiters.wake();
  }

  private failed(message: Queued, error: unknown): void {
    this.inFlightCount -= 1;
    if (isPermanentRefusal(error)) {
      this.rejected(message, error);
      return;
    }
    this.retries.push(message);
    this.hooks.onRetry(message, error);
    if (!this.retryTimer && !this.closed) this.scheduleRetry(error);
  }

  /** Backs off before the next attempt; logs the first failure of a run and every tenth. */
  private scheduleRetry(error: unknown): void {
    this.failures += 1;
    const delay = retryDelayMs(this.failures, this.options);
    if (this.failures === 1 || this.failures % 10 === 0) {
      this.hooks.logger.warn("publish failed, retrying", {
        error: errorMessage(error),
        attempt: this.failures,
        delay_ms: Math.round(delay),
        buffered: this.buffered,
      });
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
    }, delay);
  }

  /** A refused message is not retried: it is reported where it would have been, and the rest flows on. */
  private rejected(message: Queued, error: unknown): void {
    this.bytes -= message.data.length;
    const record = this.hooks.onRejected(message, error);
    if (record && !this.closed) {
      this.bytes += record.data.length;
      this.queue.prepend([{ ...record, order: message.order }]);
    }
    this.pump();
    if (this.idle()) this.idleWaiters.wake();
  }

  private recordLoss(message: Outbound): void {
    this.hooks.onDrop(message);
    this.loss ??= new DroppedFrames(message.recvUs);
    this.loss.add(message);
  }

  private emitLossRecord(): void {
    const loss = this.loss;
    if (!loss) return;
    this.loss = undefined;
    const record = this.hooks.lossRecord(loss.window());
    this.bytes += record.data.length;
    this.queue.prepend([{ ...record, order: -1 }]);
  }
}
