/**
 * One connection's outbound frames. Frames are queued, then packed into one Buffer per batch
 * (ws-frames.ts) and written straight to the TCP socket while the WebSocket's buffered bytes
 * stay under the high-water mark; above it the queue waits for the socket's `drain`. The queue is bounded:
 * past `maxFrames` unsent frames the owner is told (Kalshi answers a slow consumer with error 25).
 */
import type { Duplex } from "node:stream";
import { WebSocket } from "ws";
import { packTextFrames } from "./ws-frames.js";

/** Frames packed into one socket write. */
const BATCH_FRAMES = 512;

export interface SendQueueOptions {
  maxFrames: number;
  highWaterBytes: number;
  /** Called for each frame as it is handed to the socket. */
  onSent?: (text: string) => void;
  onOverflow: () => void;
}

export class SendQueue {
  private frames: string[] = [];
  private head = 0;
  private scheduled = false;
  private waitingDrain = false;
  sent = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly options: SendQueueOptions,
  ) {}

  get pending(): number {
    return this.frames.length - this.head;
  }

  push(text: string): void {
    this.frames.push(text);
    if (this.pending > this.options.maxFrames) {
      this.options.onOverflow();
      return;
    }
    this.schedule();
  }

  /** Drops unsent frames matching `predicate`; returns how many were dropped. */
  drop(predicate: (text: string) => boolean): number {
    const keep = this.frames.slice(this.head).filter((text) => !predicate(text));
    const dropped = this.pending - keep.length;
    this.frames = keep;
    this.head = 0;
    return dropped;
  }

  private schedule(): void {
    if (this.scheduled || this.waitingDrain) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.ws.readyState !== WebSocket.OPEN) {
      this.frames = [];
      this.head = 0;
      return;
    }
    const { onSent, highWaterBytes } = this.options;
    while (this.head < this.frames.length && this.ws.bufferedAmount < highWaterBytes) {
      const end = Math.min(this.frames.length, this.head + BATCH_FRAMES);
      this.socket.write(packTextFrames(this.frames, this.head, end));
      if (onSent) for (let i = this.head; i < end; i++) onSent(this.frames[i]!);
      this.sent += end - this.head;
      this.head = end;
    }
    if (this.head > 4096 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    if (this.pending > 0) this.awaitDrain();
  };

  private awaitDrain(): void {
    if (this.ws.bufferedAmount < this.options.highWaterBytes) {
      this.schedule();
      return;
    }
    this.waitingDrain = true;
    this.socket.once("drain", () => {
      this.waitingDrain = false;
      this.schedule();
    });
  }
}
