/**
 * One WebSocket client: its subscriptions (client-subscriptions.ts), its bounded queue, and the
 * writes to its socket. Writes stop while the socket holds more than socketHighWaterBytes unsent
 * and resume on 'drain'; meanwhile the queue grows, conflates, and past its bounds the client is
 * closed (4001 queue full, 4002 behind too long). Pings keep idle connections honest (4003). A
 * client's trouble never blocks the feed or other clients: nothing here awaits.
 */
import type { Duplex } from "node:stream";
import { WebSocket } from "ws";
import type { Logger } from "../../adapters/log.js";
import type { BookStore } from "./book-store.js";
import { type ClientCommand, parseClientCommand } from "./client-commands.js";
import { ClientQueue } from "./client-queue.js";
import { ClientSubscriptions, latestState, type SubscribingClient } from "./client-subscriptions.js";
import { CLOSE_IDLE, CLOSE_POLICY, CLOSE_QUEUE_FULL, CLOSE_TOO_SLOW } from "./close-codes.js";
import type { ClientLimits } from "./config.js";
import { type ErrorCode, errorEvent } from "./events.js";
import type { Fanout } from "./fanout.js";
import type { GatewayCounters } from "./metrics.js";
import { type QueueItem, queueItem } from "./ws-frame.js";

const TEXT_FRAME = { binary: false };
const MAX_BAD_REQUESTS = 100;
/**
 * How long a closed client has to read its close frame before the socket is destroyed. The close
 * frame of a slow client sits behind its backlog, so too short a wait turns "4002 slow consumer"
 * into a bare 1006 for exactly the clients the reason is meant for (ws's own default is 30 s).
 */
const TERMINATE_AFTER_MS = 5000;

export interface SessionDeps {
  store: BookStore;
  fanout: Fanout;
  limits: ClientLimits;
  counters: GatewayCounters;
  logger: Logger;
  now: () => number;
  onClosed(session: ClientSession): void;
}

export class ClientSession implements SubscribingClient {
  flushPending = false;
  private readonly subscriptions: ClientSubscriptions;
  private readonly queue: ClientQueue;
  private lastSeenMs: number;
  private lastPingMs: number;
  private waitingForDrain = false;
  private badRequests = 0;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    private readonly deps: SessionDeps,
  ) {
    this.lastSeenMs = deps.now();
    this.lastPingMs = this.lastSeenMs;
    this.subscriptions = new ClientSubscriptions(this, deps);
    this.queue = new ClientQueue(deps.limits, (ticker, type) => latestState(deps.store, ticker, type));
    ws.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on("pong", () => {
      this.lastSeenMs = deps.now();
    });
    ws.on("close", () => this.cleanUp("client_closed"));
    ws.on("error", (error) => {
      deps.logger.debug("client socket error", { client: id, error: error.message });
      this.cleanUp("socket_error");
    });
  }

  get symbolCount(): number {
    return this.subscriptions.size;
  }

  get queuedMessages(): number {
    return this.queue.length;
  }

  get queuedBytes(): number {
    return this.queue.bytes;
  }

  apply(command: ClientCommand): void {
    if (command.action === "subscribe") this.subscriptions.subscribe(command);
    else this.unsubscribe(command.symbols);
  }

  deliver(item: QueueItem, ticker: string | undefined): void {
    if (this.closed) return;
    const result = this.queue.push(item, ticker, this.deps.now);
    if (result === "conflated") this.deps.counters.conflated += 1;
    else if (result === "overflow") {
      this.close(CLOSE_QUEUE_FULL, "slow consumer: send queue full", "queue_full");
      return;
    }
    this.deps.fanout.scheduleFlush(this);
  }

  flush(): void {
    if (this.closed || this.waitingForDrain || this.ws.readyState !== WebSocket.OPEN) return;
    const highWater = this.deps.limits.socketHighWaterBytes;
    const sent = this.deps.counters.sent;
    const socket = this.socket;
    // Pre-framed messages straight onto the socket, corked into one writev (ws framing is
    // bypassed; safe because permessage-deflate is off, so ws never holds frames back).
    socket.cork();
    try {
      while (socket.writableLength < highWater) {
        const item = this.queue.shift();
        if (!item) break;
        socket.write(item.frame);
        sent[item.type] += 1;
      }
    } finally {
      socket.uncork();
    }
    if (this.queue.length === 0) return;
    if (!socket.writableNeedDrain) {
      this.deps.fanout.scheduleFlush(this);
      return;
    }
    this.waitingForDrain = true;
    socket.once("drain", () => {
      this.waitingForDrain = false;
      this.flush();
    });
  }

  /** Called about once a second: pings, idle and too-slow checks. */
  tick(nowMs: number): void {
    if (this.closed) return;
    const { idleTimeoutMs, maxBehindMs, pingIntervalMs } = this.deps.limits;
    if (nowMs - this.lastSeenMs > idleTimeoutMs) {
      this.close(CLOSE_IDLE, `idle timeout: no pong for ${Math.round(idleTimeoutMs / 1000)} s`, "idle");
      return;
    }
    const behindSince = this.queue.behindSinceMs;
    if (behindSince !== undefined && nowMs - behindSince > maxBehindMs) {
      this.close(
        CLOSE_TOO_SLOW,
        `slow consumer: behind for more than ${Math.round(maxBehindMs / 1000)} s`,
        "too_slow",
      );
      return;
    }
    if (nowMs - this.lastPingMs >= pingIntervalMs) {
      this.lastPingMs = nowMs;
      this.ws.ping();
    }
  }

  /** Sends a last event (if any) and closes with a code and a reason the client can read. */
  close(code: number, reason: string, metricReason: string, lastWords?: string): void {
    if (this.closed) return;
    if (lastWords !== undefined && this.ws.readyState === WebSocket.OPEN) this.ws.send(lastWords, TEXT_FRAME);
    this.cleanUp(metricReason);
    this.ws.close(code, reason);
    setTimeout(() => this.ws.terminate(), TERMINATE_AFTER_MS).unref();
  }

  sendError(code: ErrorCode, message: string, extra?: Parameters<typeof errorEvent>[2]): void {
    this.deps.counters.badRequests[code] = (this.deps.counters.badRequests[code] ?? 0) + 1;
    this.deliver(queueItem(errorEvent(code, message, extra), "error"), undefined);
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.lastSeenMs = this.deps.now();
    const parsed = isBinary
      ? ({ ok: false, code: "bad_request", message: "send JSON text messages, not binary" } as const)
      : parseClientCommand(data.toString("utf8"));
    if (parsed.ok) {
      this.apply(parsed.command);
      return;
    }
    this.sendError(parsed.code, parsed.message);
    this.badRequests += 1;
    if (this.badRequests >= MAX_BAD_REQUESTS)
      this.close(CLOSE_POLICY, "too many bad requests", "bad_requests");
  }

  private unsubscribe(symbols: string[]): void {
    for (const symbol of symbols) if (this.subscriptions.remove(symbol)) this.queue.forget(symbol);
  }

  private cleanUp(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.deps.counters.disconnects[reason] = (this.deps.counters.disconnects[reason] ?? 0) + 1;
    this.subscriptions.clear();
    this.queue.clear();
    this.deps.onClosed(this);
  }
}
