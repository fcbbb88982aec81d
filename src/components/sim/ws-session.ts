/**
 * One Kalshi WebSocket connection: answers commands (session-commands.ts), delivers source
 * events to its subscriptions with per-sid seq, and applies per-connection faults.
 */
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { Logger } from "../../adapters/log.js";
import { wrapFrame } from "../../core/kalshi/encode.js";
import { encodeError } from "../../core/kalshi/encode-replies.js";
import { KalshiErrorCode } from "../../core/kalshi/types.js";
import { CommandError, parseCommand } from "./commands.js";
import { SendQueue } from "./send-queue.js";
import { runCommand } from "./session-commands.js";
import type { MarketDataSource, SourceEvent } from "./source.js";
import { SEQUENCED_CHANNELS, type Subscription, SubscriptionTable } from "./subscriptions.js";
import { TokenBucket } from "./token-bucket.js";

export interface SessionLimits {
  /** Markets one subscription may cover (error 26 above). */
  maxMarketsPerSubscription: number;
  /** Commands per second per connection (error 27 above). */
  commandsPerSecond: number;
  /** Unsent frames before the connection's sequenced subscriptions fail with error 25. */
  maxQueuedFrames: number;
  highWaterBytes: number;
}

export interface SessionOptions {
  connId: number;
  authenticated: boolean;
  source: MarketDataSource;
  limits: SessionLimits;
  logger: Logger;
  nowMs: () => number;
  onSent?: (connId: number, text: string) => void;
  onCommand?: (cmd: string, errorCode: number | undefined) => void;
}

/** Connection-level fault kinds the session applies itself. */
export type SessionFault =
  | "skip_seq"
  | "duplicate_seq"
  | "seq_reset"
  | "malformed"
  | "buffer_overflow"
  | "disconnect";

export class KalshiWsSession {
  readonly subscriptions = new SubscriptionTable();
  readonly queue: SendQueue;
  private readonly commandBucket: TokenBucket;
  private skipNext = false;
  private duplicateNext = false;

  constructor(
    readonly ws: WebSocket,
    socket: Duplex,
    readonly options: SessionOptions,
  ) {
    const { limits, onSent, connId } = options;
    this.commandBucket = new TokenBucket(limits.commandsPerSecond, limits.commandsPerSecond, options.nowMs());
    this.queue = new SendQueue(ws, socket, {
      maxFrames: limits.maxQueuedFrames,
      highWaterBytes: limits.highWaterBytes,
      onSent: onSent && ((text) => onSent(connId, text)),
      onOverflow: () => this.overflow(),
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) this.send(encodeError(undefined, KalshiErrorCode.UnableToProcess));
      else this.handleText(data.toString());
    });
  }

  get connId(): number {
    return this.options.connId;
  }

  send(text: string): void {
    this.queue.push(text);
  }

  handleText(text: string): void {
    const parsed = parseCommand(text);
    if (parsed instanceof CommandError) {
      this.reject(parsed);
      return;
    }
    if (!this.commandBucket.take(this.options.nowMs())) {
      this.reject(new CommandError(parsed.id, KalshiErrorCode.TooManyRequests));
      return;
    }
    let failure: CommandError | undefined;
    try {
      failure = runCommand(this, parsed);
    } catch (error) {
      this.options.logger.error("command failed", { conn: this.connId, cmd: parsed.cmd, error });
      failure = new CommandError(parsed.id, KalshiErrorCode.InternalError);
    }
    this.options.onCommand?.(parsed.cmd, failure?.code);
    if (failure) this.send(encodeError(failure.id, failure.code, { marketTicker: failure.marketTicker }));
  }

  private reject(error: CommandError): void {
    this.options.onCommand?.("invalid", error.code);
    this.send(encodeError(error.id, error.code, { marketTicker: error.marketTicker }));
  }

  /** Next seq for a sequenced frame or ack on this subscription, with pending seq faults applied. */
  nextSeq(subscription: Subscription): number {
    if (this.skipNext) {
      this.skipNext = false;
      subscription.seq++;
    }
    subscription.seq++;
    return subscription.seq;
  }

  /** Sends a sequenced frame (and sends it twice when a duplicate_seq fault is pending). */
  sendSequenced(text: string): void {
    this.send(text);
    if (this.duplicateNext) {
      this.duplicateNext = false;
      this.send(text);
    }
  }

  deliver(event: SourceEvent): void {
    const subscription = this.subscriptions.forChannel(event.channel);
    if (!subscription) return;
    if (!subscription.all && !subscription.tickers.has(event.ticker)) return;
    const body = event.body(subscription.useYesPrice);
    if (SEQUENCED_CHANNELS.has(event.channel)) {
      this.sendSequenced(wrapFrame(event.type, subscription.sid, this.nextSeq(subscription), body));
    } else {
      this.send(wrapFrame(event.type, subscription.sid, undefined, body));
    }
  }

  fault(kind: SessionFault): void {
    switch (kind) {
      case "skip_seq":
        this.skipNext = true;
        return;
      case "duplicate_seq":
        this.duplicateNext = true;
        return;
      case "seq_reset":
        for (const subscription of this.subscriptions.all()) subscription.seq = 0;
        return;
      case "malformed":
        this.send('{"type":"orderbook_delta","sid":1,"seq":');
        return;
      case "buffer_overflow":
        this.failSequenced();
        return;
      case "disconnect":
        this.ws.terminate();
        return;
    }
  }

  /** Error 25 (terminal) for every sequenced subscription, which is dropped, as Kalshi does. */
  private failSequenced(): void {
    for (const subscription of this.subscriptions.all()) {
      if (!SEQUENCED_CHANNELS.has(subscription.channel)) continue;
      this.subscriptions.remove(subscription);
      const marker = `"sid":${subscription.sid},`;
      this.queue.drop((text) => text.includes(marker));
      this.send(encodeError(undefined, KalshiErrorCode.BufferOverflow, { sid: subscription.sid }));
    }
  }

  /** Slow consumer: sequenced subscriptions fail (25), ticker/trade frames are dropped, and a
   * connection still over the cap after that is closed. */
  private overflow(): void {
    const before = this.queue.pending;
    this.failSequenced();
    this.queue.drop((text) => text.startsWith('{"type":"ticker"') || text.startsWith('{"type":"trade"'));
    if (this.queue.pending > this.options.limits.maxQueuedFrames) this.ws.terminate();
    this.options.logger.warn("slow consumer: subscription buffer overflow", {
      conn: this.connId,
      queued: before,
      dropped: before - this.queue.pending,
    });
  }
}
