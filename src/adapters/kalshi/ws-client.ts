/**
 * Kalshi WebSocket client (PROTOCOL.md §1, §2, §4): signed upgrade, numbered commands with
 * replies matched by id, raw data frames handed on as bytes, server pings answered (by `ws`)
 * and counted as activity. No reconnect logic here: the connector decides when to reconnect and
 * calls connect() again (fresh signature, ids restart at 1, new connectionId).
 *
 * Replies go to onReply listeners and to the awaiting command. Some replies carry the sid's
 * `seq` (`unsubscribed`, and `ok` after update_subscription): they are NOT given to onFrame,
 * but the ReplyMessage keeps `sid` and `seq`, so a seq tracker listening on onReply can advance.
 */
import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import { ConflictError, errorMessage, UnavailableError } from "../../core/errors.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import { authHeaders } from "../../core/kalshi/sign.js";
import type { KalshiMessage, ReplyMessage, Subscribed } from "../../core/kalshi/types.js";
import type { Logger } from "../log.js";
import type { KalshiCredentials } from "./credentials.js";
import { CommandTracker } from "./ws-commands.js";
import { isReplyFrame } from "./ws-frame-kind.js";
import { type CloseListener, type FrameListener, type ReplyListener, WsListeners } from "./ws-listeners.js";
import { checkWsUrl, openSocket } from "./ws-open.js";

export interface KalshiWsClientOptions {
  url: string;
  credentials?: KalshiCredentials;
  /** Upgrade handshake limit; default 10 s. */
  connectTimeoutMs?: number;
  /** Reply limit per command; default 10 s. */
  commandTimeoutMs?: number;
  /** Milliseconds since the epoch: signing timestamps and lastActivityMs. */
  now?: () => number;
  /** Microseconds since the epoch for `receivedUs`; default derives from `now` or a µs clock. */
  nowUs?: () => number;
  logger?: Logger;
}

export interface SubscribeParams {
  channels: string[];
  market_tickers?: string[];
  send_initial_snapshot?: boolean;
  use_yes_price?: boolean;
}

export interface UpdateSubscriptionParams {
  sid: number;
  action: "add_markets" | "delete_markets" | "get_snapshot";
  market_tickers: string[];
}

export interface SubscriptionRef {
  channel: string;
  sid: number;
}

const preciseNowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

export class KalshiWsClient {
  private socket: WebSocket | undefined;
  private readonly commands: CommandTracker;
  private readonly listeners: WsListeners;
  private readonly now: () => number;
  private readonly nowUs: () => number;
  private activityMs = 0;
  private id = "";
  private connecting = false;

  constructor(private readonly options: KalshiWsClientOptions) {
    checkWsUrl(options.url);
    this.now = options.now ?? Date.now;
    this.nowUs = options.nowUs ?? (options.now ? () => Math.round(this.now() * 1000) : preciseNowUs);
    this.commands = new CommandTracker(options.commandTimeoutMs ?? 10_000);
    this.listeners = new WsListeners(options.logger);
  }

  /** Last data frame, reply or ping received (ms); 0 before the first connect. */
  get lastActivityMs(): number {
    return this.activityMs;
  }

  /** Random id of the current connection; "" before the first connect. */
  get connectionId(): string {
    return this.id;
  }

  /** Listener calls that threw (logged and swallowed so one bad listener cannot kill the socket). */
  get listenerErrors(): number {
    return this.listeners.failures;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Opens a signed connection. AuthError on 401/403, UnavailableError/TimeoutError otherwise. */
  async connect(): Promise<void> {
    if (this.connecting) throw new ConflictError("connect() is already in progress on this Kalshi client");
    this.connecting = true;
    try {
      if (this.socket !== undefined) await this.close();
      this.attach(await this.openSigned());
    } finally {
      this.connecting = false;
    }
  }

  private openSigned(): Promise<WebSocket> {
    const { url, credentials } = this.options;
    const path = new URL(url).pathname;
    const headers = credentials
      ? authHeaders(credentials.keyId, credentials.privateKey, this.now(), "GET", path)
      : {};
    return openSocket(url, headers, this.options.connectTimeoutMs ?? 10_000);
  }

  private attach(socket: WebSocket): void {
    this.commands.reset("a new connection was opened");
    this.socket = socket;
    this.id = randomUUID();
    this.activityMs = this.now();
    socket.on("message", (data: Buffer) => this.handleMessage(data));
    socket.on("ping", () => {
      this.activityMs = this.now();
    });
    socket.on("error", (error) =>
      this.options.logger?.warn("kalshi ws error", { error: errorMessage(error) }),
    );
    socket.once("close", (code: number, reason: Buffer) => this.handleClose(socket, code, reason.toString()));
    this.options.logger?.info("kalshi ws connected", { url: this.options.url, connectionId: this.id });
  }

  async subscribe(params: SubscribeParams): Promise<SubscriptionRef[]> {
    const replies = await this.command("subscribe", { ...params }, params.channels.length);
    return replies.filter((r): r is Subscribed => r.kind === "subscribed").map(toRef);
  }

  async unsubscribe(sids: number[]): Promise<void> {
    await this.command("unsubscribe", { sids }, sids.length);
  }

  /** Returns the full market list after add/delete (undefined when Kalshi omits it). */
  async updateSubscription(params: UpdateSubscriptionParams): Promise<string[] | undefined> {
    const [reply] = await this.command("update_subscription", { ...params }, 1);
    return reply?.kind === "ok" ? reply.marketTickers : undefined;
  }

  async listSubscriptions(): Promise<SubscriptionRef[]> {
    const [reply] = await this.command("list_subscriptions", undefined, 1);
    return reply?.kind === "ok" ? (reply.subscriptions ?? []) : [];
  }

  onFrame(listener: FrameListener): void {
    this.listeners.frame.push(listener);
  }

  onReply(listener: ReplyListener): void {
    this.listeners.reply.push(listener);
  }

  onClose(listener: CloseListener): void {
    this.listeners.close.push(listener);
  }

  /** Closes with 1000 and waits for the close (terminates after 2 s). Safe to call twice. */
  async close(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return;
    if (socket.readyState === WebSocket.CLOSED) {
      this.handleClose(socket, 1006, "closed");
      return;
    }
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const force = setTimeout(() => socket.terminate(), 2000);
    socket.close(1000, "client closing");
    await closed;
    clearTimeout(force);
  }

  private async command(
    cmd: string,
    params: Record<string, unknown> | undefined,
    expected: number,
  ): Promise<ReplyMessage[]> {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) {
      throw new UnavailableError(`cannot send ${cmd}: the Kalshi WebSocket is not connected`);
    }
    const { id, replies } = this.commands.open(cmd, expected);
    const frame = JSON.stringify(params === undefined ? { id, cmd } : { id, cmd, params });
    socket.send(frame, (error) => {
      if (error) this.commands.abort(id, new UnavailableError(`sending ${cmd} failed`, { cause: error }));
    });
    return replies;
  }

  private handleMessage(data: Buffer): void {
    const receivedUs = this.nowUs();
    this.activityMs = this.now();
    if (!isReplyFrame(data)) {
      this.listeners.emitFrame(data, receivedUs);
      return;
    }
    const parsed = parseFrame(data.toString("utf8"));
    if (!parsed.ok) {
      // Not a usable reply: pass the bytes on like data so the connector archives and counts it.
      this.options.logger?.warn("kalshi ws malformed reply", { error: parsed.error.message });
      this.listeners.emitFrame(data, receivedUs);
      return;
    }
    const reply = parsed.message;
    if (isReply(reply)) this.commands.settle(reply);
    this.listeners.emitReply(reply);
  }

  private handleClose(socket: WebSocket, code: number, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    this.commands.failAll(`connection closed (${code}${reason ? ` ${reason}` : ""})`);
    this.options.logger?.info("kalshi ws closed", { code, reason, connectionId: this.id });
    this.listeners.emitClose(code, reason);
  }
}

function isReply(message: KalshiMessage): message is ReplyMessage {
  return (
    message.kind === "subscribed" ||
    message.kind === "unsubscribed" ||
    message.kind === "ok" ||
    message.kind === "error"
  );
}

function toRef(reply: Subscribed): SubscriptionRef {
  return { channel: reply.channel, sid: reply.sid ?? 0 };
}
