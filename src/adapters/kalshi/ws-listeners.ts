/**
 * The WebSocket client's listeners. A listener that throws is logged and counted, never allowed
 * to unwind into the socket's event loop (one bad consumer must not kill the connection).
 */
import { errorMessage } from "../../core/errors.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import type { Logger } from "../log.js";

export type FrameListener = (data: Buffer, receivedUs: number) => void;
export type ReplyListener = (message: KalshiMessage) => void;
export type CloseListener = (code: number, reason: string) => void;

export class WsListeners {
  readonly frame: FrameListener[] = [];
  readonly reply: ReplyListener[] = [];
  readonly close: CloseListener[] = [];
  /** Listener calls that threw. */
  failures = 0;

  constructor(private readonly logger: Logger | undefined) {}

  emitFrame(data: Buffer, receivedUs: number): void {
    for (const listener of this.frame) {
      try {
        listener(data, receivedUs);
      } catch (error) {
        this.failed("onFrame", error);
      }
    }
  }

  emitReply(message: KalshiMessage): void {
    for (const listener of this.reply) {
      try {
        listener(message);
      } catch (error) {
        this.failed("onReply", error);
      }
    }
  }

  emitClose(code: number, reason: string): void {
    for (const listener of this.close) {
      try {
        listener(code, reason);
      } catch (error) {
        this.failed("onClose", error);
      }
    }
  }

  private failed(name: string, error: unknown): void {
    this.failures++;
    this.logger?.error("kalshi ws listener threw", { listener: name, error: errorMessage(error) });
  }
}
