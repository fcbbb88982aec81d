/**
 * The connector's JetStream publisher: a bounded in-flight window of async publishes with acks,
 * retries with exponential backoff (same Nats-Msg-Id, so a retry of a frame that was in fact
 * stored is deduplicated by JetStream), and a bounded buffer while NATS is unreachable.
 * When the buffer is full new frames are dropped and counted; once NATS takes messages again a
 * loss record (built by the caller: an ssmd_gap with reason publish_buffer_overflow) is
 * published ahead of everything else, so the loss is visible in the stream. Memory never grows
 * without bound; essential status records (gap/disconnect) bypass the bound.
 */
import type { Bus, Headers, PublishAck } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { ConfigError, errorMessage, ValidationError } from "../../core/errors.js";
import { Fifo } from "./bounded-queue.js";

export interface Outbound {
  subject: string;
  data: Uint8Array;
  msgId: string;
  headers: Headers;
  /** Receive time, Unix µs (for latency and lag). */
  recvUs: number;
  /** Market the frame belongs to, for loss records. */
  ticker?: string | undefined;
}

interface Queued extends Outbound {
  order: number;
}

export interface PublisherOptions {
  maxInFlight: number;
  maxBufferedMessages: number;
  maxBufferedBytes: number;
  publishTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_PUBLISHER_OPTIONS: PublisherOptions = {
  maxInFlight: 2048,
  maxBufferedMessages: 200_000,
  maxBufferedBytes: 256 * 1024 * 1024,
  publishTimeoutMs: 5_000,
  retryBaseMs: 100,
  retryMaxMs: 5_000,
};

/** Frames dropped while the buffer was full. */
export interface LossWindow {
  lost: number;
  firstUs: number;
  lastUs: number;
  tickers: string[];
}

export interface PublisherHooks {
  nowUs(): number;
  onAck(message: Outbound, ack: PublishAck, nowUs: number): void;
  onRetry(message: Outbound, error: unknown): void;
  onDrop(message: Outbound): void;
  /** Builds the record that reports a loss window (published ahead of the queue). */
  lossRecord(loss: LossWindow): Outbound;
  /**
   * The bus refused a message for good (ValidationError/ConfigError: too large, refused by the
   * stream). Returns the record that reports it, or undefined when the refused message was itself
   * a status record (reported by log and metric only, so a refusal cannot loop).
   */
  onRejected(message: Outbound, error: unknown): Outbound | undefined;
  logger: Logger;
}

const MAX_LOSS_TICKERS = 1000;

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
  private loss: { lost: number; firstUs: number; lastUs: number; tickers: Set<string> } | undefined;
  private idleWaiters: (() => void)[] = [];

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
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return result;
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
    if (this.idle()) this.wakeIdleWaiters();
  }

  private failed(message: Queued, error: unknown): void {
    this.inFlightCount -= 1;
    if (isPermanentRefusal(error)) {
      this.rejected(message, error);
      return;
    }
    this.retries.push(message);
    this.hooks.onRetry(message, error);
    if (this.retryTimer || this.closed) return;
    this.failures += 1;
    const ceiling = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (this.failures - 1));
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
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
    if (this.idle()) this.wakeIdleWaiters();
  }

  private recordLoss(message: Outbound): void {
    this.hooks.onDrop(message);
    const loss = this.loss ?? {
      lost: 0,
      firstUs: message.recvUs,
      lastUs: message.recvUs,
      tickers: new Set(),
    };
    loss.lost += 1;
    loss.lastUs = message.recvUs;
    if (message.ticker && loss.tickers.size < MAX_LOSS_TICKERS) loss.tickers.add(message.ticker);
    this.loss = loss;
  }

  private emitLossRecord(): void {
    const loss = this.loss;
    if (!loss) return;
    this.loss = undefined;
    const record = this.hooks.lossRecord({ ...loss, tickers: [...loss.tickers].sort() });
    this.bytes += record.data.length;
    this.queue.prepend([{ ...record, order: -1 }]);
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/** Errors a retry cannot fix: the bus refused this message (as opposed to being unreachable). */
function isPermanentRefusal(error: unknown): boolean {
  return error instanceof ValidationError || error instanceof ConfigError;
}
