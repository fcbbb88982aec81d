/**
 * One shard: one WebSocket connection at a time, kept alive across failures. Connects with a
 * fresh signature each attempt (the session object signs its own upgrade), subscribes the
 * shard's channels and markets, reconnects with exponential backoff + jitter, and a watchdog
 * reconnects a connection that sent neither ping nor data for `staleAfterMs`. Each outage becomes
 * an ssmd_disconnect record (start + end) and a REST trade backfill of the outage window.
 * A seq gap/reset becomes an ssmd_gap record and a re-snapshot (`get_snapshot`, else resubscribe).
 */
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";
import type { GapReason } from "../../core/gap-records.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import { SeqTracker, type SeqVerdict } from "../../core/seq-tracker.js";
import { backoffDelay, interruptibleSleep } from "./backoff.js";
import type { ConnectorConfig } from "./config.js";
import type { FrameHandler, FrameSource } from "./frame-handler.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock, WsFactory, WsSession } from "./ports.js";
import type { Publisher } from "./publisher.js";
import type { StatusRecords } from "./status-records.js";
import { type ChannelPlan, type Subscription, subscribeChannel } from "./subscriptions.js";

export interface ShardDeps {
  index: number;
  instance: string;
  config: ConnectorConfig;
  channels: ChannelPlan;
  wsFactory: WsFactory;
  handler: FrameHandler;
  publisher: Publisher;
  records: StatusRecords;
  metrics: ConnectorMetrics;
  clock: Clock;
  logger: Logger;
  onLifecycle(type: string, ticker: string, text: string): void;
  /** Publishes the outage window's trades from REST (for this shard's markets). */
  backfill(
    window: { startUs: number; endUs: number; conn: string },
    tickers: string[] | undefined,
  ): Promise<unknown>;
}

/** Kalshi errors after which a subscription is dead (PROTOCOL.md §2.6). */
const TERMINAL_CODES = new Set([10, 17, 25]);

export class ShardSession {
  private readonly markets: Set<string>;
  private session: WsSession | undefined;
  private subs = new Map<number, Subscription>();
  private resnapshotting = new Set<number>();
  private conn = "";
  private attempts = 0;
  private failures = 0;
  private stopping = false;
  private outageStartUs: number | undefined;
  private outageReason: GapReason = "disconnect";
  private endConnection: (reason: string) => void = () => {};
  private wakeBackoff: () => void = () => {};
  private loop: Promise<void> | undefined;
  private firstAttempt: Promise<unknown>;
  private settleFirstAttempt: (outcome: unknown) => void = () => {};
  connected = false;

  constructor(
    private readonly deps: ShardDeps,
    markets: string[],
  ) {
    this.markets = new Set(markets);
    this.firstAttempt = new Promise((resolve) => {
      this.settleFirstAttempt = resolve;
    });
  }

  get marketCount(): number {
    return this.markets.size;
  }

  /** Starts the connect loop; resolves with the first attempt's error (undefined when connected). */
  start(): Promise<unknown> {
    this.loop = this.run();
    return this.firstAttempt;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeBackoff();
    this.endConnection("stopped");
    await this.loop;
    if (this.outageStartUs !== undefined) this.publishDisconnect(null);
  }

  async addMarkets(tickers: string[]): Promise<void> {
    const fresh = tickers.filter((ticker) => !this.markets.has(ticker));
    for (const ticker of fresh) this.markets.add(ticker);
    const session = this.session;
    if (!session || fresh.length === 0) return;
    for (const channel of this.deps.channels.perMarket) {
      const sub = [...this.subs.values()].find((entry) => entry.channel === channel);
      try {
        if (sub) {
          await session.updateSubscription({ sid: sub.sid, action: "add_markets", market_tickers: fresh });
          sub.tickers = [...(sub.tickers ?? []), ...fresh];
        } else {
          await this.subscribe(session, channel, [...this.markets]);
        }
      } catch (error) {
        this.commandFailed("add_markets", error);
      }
    }
  }

  async removeMarkets(tickers: string[]): Promise<void> {
    const gone = tickers.filter((ticker) => this.markets.delete(ticker));
    const session = this.session;
    if (!session || gone.length === 0) return;
    for (const sub of [...this.subs.values()]) {
      if (!sub.tickers) continue;
      const left = sub.tickers.filter((ticker) => !gone.includes(ticker));
      try {
        if (left.length === 0) {
          await session.unsubscribe([sub.sid]);
          this.subs.delete(sub.sid);
        } else {
          await session.updateSubscription({ sid: sub.sid, action: "delete_markets", market_tickers: gone });
          sub.tickers = left;
        }
      } catch (error) {
        this.commandFailed("delete_markets", error);
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const reason = await this.connectOnce();
      if (this.stopping) break;
      this.deps.metrics.reconnect(reason);
      const delay = backoffDelay(
        this.failures,
        this.deps.config.reconnect.baseDelayMs,
        this.deps.config.reconnect.maxDelayMs,
      );
      this.failures += 1;
      this.deps.logger.info("reconnecting to kalshi", { shard: this.deps.index, reason, delay_ms: delay });
      const sleep = interruptibleSleep(delay);
      this.wakeBackoff = sleep.wake;
      await sleep.done;
    }
  }

  /** One connection from connect to close; returns why it ended. */
  private async connectOnce(): Promise<string> {
    this.attempts += 1;
    this.conn = `${this.deps.instance}-${this.deps.index}-${this.attempts}`;
    const session = this.deps.wsFactory();
    const ended = new Promise<string>((resolve) => {
      this.endConnection = resolve;
    });
    const source = this.frameSource(this.conn, session);
    session.onFrame((data, receivedUs) => this.deps.handler.handle(source, data, receivedUs));
    session.onReply((message) => this.onReply(source, message));
    session.onClose(() => this.endConnection("closed"));
    let outage: { startUs: number; endUs: number } | undefined;
    try {
      await session.connect();
      outage = this.endOutage();
      await this.subscribeAll(session);
    } catch (error) {
      this.deps.metrics.error("connect");
      this.deps.logger.warn("kalshi connection failed", {
        shard: this.deps.index,
        error: errorMessage(error),
      });
      this.settleFirstAttempt(error);
      if (outage) this.outageStartUs = this.deps.clock.nowUs();
      await session.close().catch(() => {});
      return "connect_failed";
    }
    this.onConnected(session, outage);
    const watchdog = setInterval(() => this.checkStale(session), this.deps.config.watchdog.checkEveryMs);
    const reason = await ended;
    clearInterval(watchdog);
    this.connected = false;
    this.session = undefined;
    if (!this.stopping) this.beginOutage(reason, session);
    await session.close().catch(() => {});
    return reason;
  }

  private onConnected(session: WsSession, outage: { startUs: number; endUs: number } | undefined): void {
    this.session = session;
    this.connected = true;
    this.failures = 0;
    this.settleFirstAttempt(undefined);
    this.deps.logger.info("connected to kalshi", {
      shard: this.deps.index,
      conn: this.conn,
      symbols: this.markets.size,
      channels: [...this.deps.channels.firehose, ...this.deps.channels.perMarket],
    });
    if (!outage) return;
    const firehoseTrades = this.deps.channels.firehose.includes("trade");
    const tickers = firehoseTrades ? undefined : [...this.markets];
    void this.deps.backfill({ ...outage, conn: this.conn }, tickers);
  }

  /**
   * Connected again: the outage's disconnect record goes out now, before any frame of the new
   * connection, so consumers reset their books before the fresh snapshots arrive.
   */
  private endOutage(): { startUs: number; endUs: number } | undefined {
    const startUs = this.outageStartUs;
    if (startUs === undefined) return undefined;
    const endUs = this.deps.clock.nowUs();
    this.publishDisconnect(endUs);
    return { startUs, endUs };
  }

  private beginOutage(reason: string, session: WsSession): void {
    const nowUs = this.deps.clock.nowUs();
    const lastUs = reason === "stale" ? session.lastActivityMs * 1000 : nowUs;
    this.outageStartUs = Math.min(lastUs, nowUs);
    this.outageReason =
      reason === "stale" ? "stall" : reason === "subscription_error" ? reason : "disconnect";
    this.deps.logger.warn("kalshi connection lost", { shard: this.deps.index, conn: this.conn, reason });
  }

  private publishDisconnect(endUs: number | null): void {
    const startUs = this.outageStartUs ?? this.deps.clock.nowUs();
    this.outageStartUs = undefined;
    const firehose = this.deps.channels.firehose.length > 0 && this.deps.index === 0;
    const record = this.deps.records.gap(
      {
        type: "ssmd_disconnect",
        reason: this.outageReason,
        conn: this.conn,
        sid: null,
        fromSeq: null,
        toSeq: null,
        tickers: firehose ? [] : [...this.markets].sort(),
        startedUs: startUs,
        endedUs: endUs,
      },
      endUs ?? startUs,
    );
    this.deps.metrics.gap(this.outageReason);
    this.deps.publisher.enqueue(record, true);
  }

  private async subscribeAll(session: WsSession): Promise<void> {
    this.subs = new Map();
    this.resnapshotting = new Set();
    if (this.deps.index === 0) {
      for (const channel of this.deps.channels.firehose) await this.subscribe(session, channel, undefined);
    }
    if (this.markets.size === 0) return;
    for (const channel of this.deps.channels.perMarket)
      await this.subscribe(session, channel, [...this.markets]);
  }

  private async subscribe(session: WsSession, channel: string, tickers: string[] | undefined): Promise<void> {
    const { subscription, rejected } = await subscribeChannel(session, channel, tickers, this.deps.logger);
    for (const ticker of rejected) this.markets.delete(ticker);
    if (subscription) this.subs.set(subscription.sid, subscription);
  }

  private frameSource(conn: string, session: WsSession): FrameSource {
    const tracker = new SeqTracker();
    return {
      conn,
      tracker,
      onSeqBreak: (sid, verdict, receivedUs) => this.onSeqBreak(session, conn, sid, verdict, receivedUs),
      onLifecycle: (type, ticker, text) => this.deps.onLifecycle(type, ticker, text),
    };
  }

  private onSeqBreak(
    session: WsSession,
    conn: string,
    sid: number,
    verdict: SeqVerdict,
    receivedUs: number,
  ): void {
    const sub = this.subs.get(sid);
    const reason = verdict.kind === "gap" ? "seq_gap" : "seq_reset";
    const record = this.deps.records.gap(
      {
        type: "ssmd_gap",
        reason,
        conn,
        sid,
        fromSeq: verdict.kind === "gap" ? verdict.fromSeq : null,
        toSeq: verdict.kind === "gap" ? verdict.toSeq : null,
        tickers: [...(sub?.tickers ?? [])].sort(),
        startedUs: receivedUs,
        endedUs: receivedUs,
      },
      receivedUs,
    );
    this.deps.metrics.gap(reason);
    this.deps.publisher.enqueue(record, true);
    this.deps.logger.warn("sequence gap", { shard: this.deps.index, conn, sid, ...verdict });
    if (sub?.channel === "orderbook_delta" && sub.tickers) void this.resnapshot(session, sub);
  }

  /** get_snapshot for the subscription's markets; unsubscribe + resubscribe when that fails. */
  private async resnapshot(session: WsSession, sub: Subscription): Promise<void> {
    if (this.resnapshotting.has(sub.sid)) return;
    this.resnapshotting.add(sub.sid);
    const tickers = sub.tickers ?? [];
    try {
      await session.updateSubscription({ sid: sub.sid, action: "get_snapshot", market_tickers: tickers });
    } catch (error) {
      this.deps.logger.warn("get_snapshot failed, resubscribing", {
        sid: sub.sid,
        error: errorMessage(error),
      });
      try {
        await session.unsubscribe([sub.sid]);
        this.subs.delete(sub.sid);
        await this.subscribe(session, sub.channel, [...this.markets]);
      } catch (resubscribeError) {
        this.commandFailed("resubscribe", resubscribeError);
        this.endConnection("subscription_error");
      }
    } finally {
      this.resnapshotting.delete(sub.sid);
    }
  }

  private onReply(source: FrameSource, message: KalshiMessage): void {
    if (message.kind === "ok" || message.kind === "unsubscribed") {
      this.deps.handler.reply(source, message.sid, message.seq);
      if (message.kind === "unsubscribed" && message.sid !== undefined) source.tracker.forget(message.sid);
      return;
    }
    if (message.kind !== "error") return;
    this.deps.metrics.error(`kalshi_error_${message.code}`);
    this.deps.logger.warn("kalshi error reply", {
      shard: this.deps.index,
      code: message.code,
      message: message.message,
      market: message.marketTicker,
    });
    if (TERMINAL_CODES.has(message.code) && message.id === undefined)
      this.endConnection("subscription_error");
  }

  private checkStale(session: WsSession): void {
    const silentMs = this.deps.clock.nowMs() - session.lastActivityMs;
    if (silentMs < this.deps.config.watchdog.staleAfterMs) return;
    this.deps.logger.warn("no ping or data from kalshi, reconnecting", {
      shard: this.deps.index,
      silent_ms: silentMs,
    });
    this.endConnection("stale");
  }

  private commandFailed(command: string, error: unknown): void {
    this.deps.metrics.error("command");
    this.deps.logger.warn("kalshi command failed", {
      shard: this.deps.index,
      command,
      error: errorMessage(error),
    });
  }
}
