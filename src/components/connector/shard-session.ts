/**
 * One shard: one WebSocket connection at a time, kept alive across failures. Connects with a
 * fresh signature each attempt (the session object signs its own upgrade), subscribes the
 * shard's channels and markets, reconnects with exponential backoff + jitter, and a watchdog
 * reconnects a connection that sent neither ping nor data for `staleAfterMs`. Each outage becomes
 * an ssmd_disconnect record (start + end) and a REST trade backfill of the outage window.
 * A seq gap/reset becomes an ssmd_gap record and a re-snapshot (`get_snapshot`, else resubscribe);
 * that and the other per-connection events (replies, watchdog, failed commands) are handled in
 * shard-connection-events.ts.
 */
import { errorMessage } from "../../core/errors.js";
import { backoffDelay, interruptibleSleep } from "./backoff.js";
import { ConnectionSubscriptions } from "./connection-subscriptions.js";
import { Outage, type OutageWindow } from "./outage.js";
import type { WsSession } from "./ports.js";
import { checkStale, commandFailed, frameSource, onReply } from "./shard-connection-events.js";
import type { ShardDeps } from "./shard-deps.js";

export class ShardSession {
  private readonly markets: Set<string>;
  private subscriptions: ConnectionSubscriptions | undefined;
  private conn = "";
  private attempts = 0;
  private failures = 0;
  private stopping = false;
  private readonly outage: Outage;
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
    this.outage = new Outage(deps.clock, deps.records, deps.publisher, deps.metrics);
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
    this.outage.end(this.conn, this.affectedTickers(), true);
  }

  async addMarkets(tickers: string[]): Promise<void> {
    const fresh = tickers.filter((ticker) => !this.markets.has(ticker));
    for (const ticker of fresh) this.markets.add(ticker);
    if (fresh.length > 0) await this.subscriptions?.add(fresh);
  }

  async removeMarkets(tickers: string[]): Promise<void> {
    const gone = tickers.filter((ticker) => this.markets.delete(ticker));
    if (gone.length > 0) await this.subscriptions?.remove(gone);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const reason = await this.connectOnce().catch((error: unknown) => this.attemptFailed(error));
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
    // `end` belongs to this connection only: a late event of an old session cannot end a new one.
    let end: (reason: string) => void = () => {};
    const ended = new Promise<string>((resolve) => {
      end = resolve;
    });
    this.endConnection = end;
    const subscriptions = new ConnectionSubscriptions(session, this.markets, this.deps.channels, {
      logger: this.deps.logger,
      commandFailed: (command, error) => commandFailed(this.deps, command, error),
      broken: () => end("subscription_error"),
    });
    const source = frameSource(this.deps, this.conn, subscriptions);
    session.onFrame((data, receivedUs) => this.deps.handler.handle(source, data, receivedUs));
    session.onReply((message) => onReply(this.deps, source, message, end));
    session.onClose(() => end("closed"));
    let outage: OutageWindow | undefined;
    try {
      await session.connect();
      // The disconnect record goes out before any frame of the new connection, so consumers
      // reset their books before the fresh snapshots arrive.
      outage = this.outage.end(this.conn, this.affectedTickers());
      await subscriptions.subscribeAll(this.deps.index === 0);
    } catch (error) {
      if (outage) this.outage.resume();
      await session.close().catch(() => {});
      return this.attemptFailed(error);
    }
    this.onConnected(subscriptions, outage);
    const watchdog = setInterval(
      () => checkStale(this.deps, session, end),
      this.deps.config.watchdog.checkEveryMs,
    );
    const reason = await ended;
    clearInterval(watchdog);
    this.connected = false;
    this.subscriptions = undefined;
    if (!this.stopping) this.lost(reason, session);
    await session.close().catch(() => {});
    return reason;
  }

  private attemptFailed(error: unknown): string {
    this.deps.metrics.error("connect");
    this.deps.logger.warn("kalshi connection failed", { shard: this.deps.index, error: errorMessage(error) });
    this.settleFirstAttempt(error);
    return "connect_failed";
  }

  private onConnected(subscriptions: ConnectionSubscriptions, outage: OutageWindow | undefined): void {
    this.subscriptions = subscriptions;
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

  private lost(reason: string, session: WsSession): void {
    const nowUs = this.deps.clock.nowUs();
    this.outage.begin(reason, reason === "stale" ? session.lastActivityMs * 1000 : nowUs);
    this.deps.logger.warn("kalshi connection lost", { shard: this.deps.index, conn: this.conn, reason });
  }

  /** Tickers a disconnect affects: none listed (= all) when the shard carries firehose channels. */
  private affectedTickers(): string[] {
    const firehose = this.deps.channels.firehose.length > 0 && this.deps.index === 0;
    return firehose ? [] : [...this.markets].sort();
  }
}
