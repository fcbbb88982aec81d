/**
 * Commands in flight on one Kalshi WebSocket: ids from 1, replies matched by id, a per-command
 * timeout, and the number of replies a command waits for (subscribe: one `subscribed` per
 * channel; unsubscribe: one `unsubscribed` per sid; others: one `ok`). An `error` reply rejects
 * the command with KalshiCommandError.
 */
import { TimeoutError, UnavailableError } from "../../core/errors.js";
import type { ErrorReply, ReplyMessage } from "../../core/kalshi/types.js";
import { KalshiCommandError } from "./errors.js";

interface Pending {
  command: string;
  expected: number;
  replies: ReplyMessage[];
  resolve: (replies: ReplyMessage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class CommandTracker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly timeoutMs: number) {}

  /** Starts a new session: ids restart at 1, anything in flight is rejected. */
  reset(reason: string): void {
    this.failAll(reason);
    this.nextId = 1;
  }

  /** Registers a command; returns its id and the promise of its replies. */
  open(command: string, expected: number): { id: number; replies: Promise<ReplyMessage[]> } {
    const id = this.nextId++;
    const replies = new Promise<ReplyMessage[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TimeoutError(`Kalshi did not answer ${command} #${id} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { command, expected: Math.max(1, expected), replies: [], resolve, reject, timer });
    });
    return { id, replies };
  }

  /** The command could not be sent: drop it with this error. */
  abort(id: number, error: Error): void {
    const entry = this.take(id);
    entry?.reject(error);
  }

  /** Feeds one reply; returns true when it belonged to a command in flight. */
  settle(reply: ReplyMessage): boolean {
    const id = reply.id;
    if (id === undefined) return false;
    const entry = this.pending.get(id);
    if (entry === undefined) return false;
    if (reply.kind === "error") {
      this.take(id);
      entry.reject(commandError(entry.command, id, reply));
      return true;
    }
    entry.replies.push(reply);
    if (entry.replies.length >= entry.expected) {
      this.take(id);
      entry.resolve(entry.replies);
    }
    return true;
  }

  /** The connection is gone: every command in flight fails. */
  failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) {
      const entry = this.take(id);
      entry?.reject(new UnavailableError(`Kalshi ${entry.command} #${id} failed: ${reason}`));
    }
  }

  get inFlight(): number {
    return this.pending.size;
  }

  private take(id: number): Pending | undefined {
    const entry = this.pending.get(id);
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(id);
    return entry;
  }
}

function commandError(command: string, id: number, reply: ErrorReply): KalshiCommandError {
  return new KalshiCommandError(command, id, reply.code, reply.message, reply.marketTicker);
}
