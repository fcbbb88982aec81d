/**
 * Reads the environment's stream into the book store: one ephemeral ordered consumer over the
 * whole stream (by default from its first message, so every book finds its last snapshot).
 * A jump in stream sequence means messages are gone (aged out, deleted): every book is reset
 * and waits for a snapshot. Ready once it has caught up with the stream. When the stream does not
 * exist yet (the connector is not up), start() returns at once and the reader waits for it.
 */

import { StreamWait, type StreamWaitTiming } from "../../adapters/bus/stream-wait.js";
import type { Bus, MessageStream, StreamInfo } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { errorMessage, UnavailableError } from "../../core/errors.js";
import { HEADER_CONN, HEADER_RECV_US } from "../../core/record.js";
import type { BookStore } from "./book-store.js";

export interface FeedOptions {
  stream: string;
  startFrom: "all" | "new";
  streamWait?: StreamWaitTiming;
}

export class FeedReader {
  private consumer: MessageStream | undefined;
  private loop: Promise<void> | undefined;
  private lastSeq = 0;
  private caughtUp = false;
  private readonly decoder = new TextDecoder();
  private readonly wait: StreamWait;
  private stopped = false;
  failure: Error | undefined;
  /** Messages still in the stream behind the reader (consumer lag). */
  lag = 0;

  constructor(
    private readonly bus: Bus,
    private readonly store: BookStore,
    private readonly options: FeedOptions,
    private readonly logger: Logger,
  ) {
    this.wait = new StreamWait(bus, options.stream, logger, options.streamWait);
  }

  get ready(): boolean {
    return this.caughtUp && this.failure === undefined;
  }

  /** Why the reader is not reading yet (waiting for the stream), else undefined. */
  get waitingFor(): string | undefined {
    return this.consumer === undefined ? this.wait.reason : undefined;
  }

  /**
   * Opens the consumer when the stream exists (so nothing published after start() is missed);
   * otherwise returns at once and waits for the stream in the background.
   */
  async start(): Promise<void> {
    this.bus.onStatus((status) => {
      if (status === "disconnected")
        this.logger.warn("bus disconnected; books are kept, the reader resumes in order");
    });
    const info = await this.wait.check();
    if (info) {
      const consumer = await this.open(info);
      this.loop = this.read(consumer);
    } else this.loop = this.waitThenRead();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wait.stop();
    await this.consumer?.close();
    await this.loop;
  }

  private async waitThenRead(): Promise<void> {
    try {
      const info = await this.wait.until();
      if (!info || this.stopped) return;
      const consumer = await this.open(info);
      if (this.stopped) await consumer.close();
      else await this.read(consumer);
    } catch (error) {
      this.fail(error);
    }
  }

  private async open(info: StreamInfo): Promise<MessageStream> {
    if (info.messages === 0 || this.options.startFrom === "new") this.caughtUp = true;
    this.consumer = await this.bus.consume({
      stream: this.options.stream,
      deliverFrom: this.options.startFrom === "all" ? { kind: "all" } : { kind: "new" },
      batch: 1024,
    });
    return this.consumer;
  }

  private fail(error: unknown): void {
    this.failure = new UnavailableError(`feed reader stopped: ${errorMessage(error)}`, { cause: error });
    this.logger.error("feed reader stopped", { error: errorMessage(error) });
  }

  private async read(consumer: MessageStream): Promise<void> {
    try {
      for await (const message of consumer) {
        if (this.lastSeq > 0 && message.seq > this.lastSeq + 1) {
          this.logger.warn("stream gap: books reset", {
            from_seq: this.lastSeq + 1,
            to_seq: message.seq - 1,
          });
          this.store.resetAll("stream_gap", message.timestampMs);
        }
        this.lastSeq = Math.max(this.lastSeq, message.seq);
        const recv = Number(message.header(HEADER_RECV_US));
        this.store.apply({
          subject: message.subject,
          text: this.decoder.decode(message.data),
          rtUs: Number.isFinite(recv) && recv > 0 ? recv : message.timestampMs * 1000,
          conn: message.header(HEADER_CONN),
        });
        this.lag = message.pending;
        if (message.pending === 0) this.caughtUp = true;
      }
    } catch (error) {
      this.fail(error);
    }
  }
}
