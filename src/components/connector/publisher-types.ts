/**
 * What the connector's Publisher (publisher.ts) takes and reports: the outbound message, the
 * bounds and retry timing, the loss window of dropped frames, and the hooks through which the
 * connector counts, logs and builds its status records.
 */
import type { Headers, PublishAck } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";

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
