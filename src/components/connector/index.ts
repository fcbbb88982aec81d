/**
 * The connector: Kalshi WebSocket → JetStream, with nothing silently lost (issue 4, contract
 * ARCHITECTURE.md §3). `createConnector(config, deps)` takes a validated config and injected
 * adapters (bus, WS session factory, REST client, logger, clock); `ssmd connector` and
 * `ssmd demo` both build it. start() checks/creates the stream, resolves the markets, shards
 * them over connections and connects; stop() stops reading, flushes in-flight publishes and
 * closes the sockets.
 */
import { randomBytes } from "node:crypto";
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { AuthError, ConfigError } from "../../core/errors.js";
import { planShards } from "../../core/shard-plan.js";
import { backfillTrades } from "./backfill.js";
import type { ConnectorConfig } from "./config.js";
import { createConnectorPublisher } from "./connector-publisher.js";
import { FrameHandler } from "./frame-handler.js";
import { type KalshiEndpoints, kalshiClients } from "./kalshi-clients.js";
import { LiveMarkets, lifecycleEventType } from "./live-markets.js";
import { selectMarkets } from "./market-selection.js";
import { ConnectorMetrics } from "./metrics.js";
import { type Clock, type RestPort, systemClock, type WsFactory } from "./ports.js";
import type { Publisher } from "./publisher.js";
import { RecentIds } from "./recent-ids.js";
import { ShardSession } from "./shard-session.js";
import { StatusRecords } from "./status-records.js";
import { type ChannelPlan, planChannels } from "./subscriptions.js";

export type { ConnectorConfig, ConnectorConfigInput } from "./config.js";
export { resolveConnectorConfig } from "./config.js";
export type { KalshiEndpoints } from "./kalshi-clients.js";
export { kalshiClients } from "./kalshi-clients.js";
export type { RestPort, WsFactory, WsSession } from "./ports.js";

export interface ConnectorDeps {
  bus: Bus;
  logger: Logger;
  clock?: Clock;
  /**
   * New WS session per connection attempt. Default: KalshiWsClient on `endpoints.wsUrl` (with
   * `endpoints.credentials`), see kalshi-clients.ts.
   */
  wsFactory?: WsFactory;
  /** REST client for market resolution and the trade backfill. Default: on `endpoints.restUrl`. */
  rest?: RestPort;
  /** Where the default clients connect; required when wsFactory is not given. */
  endpoints?: KalshiEndpoints;
}

export interface ConnectorStats {
  shards: number;
  connectedShards: number;
  markets: number;
  received: number;
  /** Frames dropped as seq duplicates (never published). */
  seqDuplicates: number;
  published: number;
  inFlight: number;
  buffered: number;
  lost: number;
  lastMessageAgeSeconds: number | null;
  publishLagSeconds: number;
}

export interface Connector {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): ConnectorStats;
  /** /health body. */
  health(): { ok: boolean } & Record<string, unknown>;
  ready(): boolean;
  readonly metrics: ConnectorMetrics;
}

export function createConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  if (deps.wsFactory) return new KalshiConnector(config, { ...deps, wsFactory: deps.wsFactory });
  if (!deps.endpoints) throw new ConfigError("the connector needs a wsFactory or Kalshi endpoints");
  const clients = kalshiClients(deps.endpoints, deps.logger);
  return new KalshiConnector(config, {
    ...deps,
    wsFactory: clients.wsFactory,
    rest: deps.rest ?? clients.rest,
  });
}

type ResolvedDeps = ConnectorDeps & { wsFactory: WsFactory };

class KalshiConnector implements Connector {
  readonly metrics: ConnectorMetrics;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly instance = randomBytes(4).toString("hex");
  private readonly records: StatusRecords;
  private readonly publisher: Publisher;
  private readonly handler: FrameHandler;
  private readonly recentTrades = new RecentIds(200_000);
  private readonly shards: ShardSession[] = [];
  private channels: ChannelPlan = { firehose: [], perMarket: [] };
  private live: LiveMarkets | undefined;
  private running = false;

  constructor(
    private readonly config: ConnectorConfig,
    private readonly deps: ResolvedDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger;
    this.metrics = new ConnectorMetrics(config.feed, {
      lagSeconds: () => this.lagSeconds(),
      lastMessageAgeSeconds: () => this.lastMessageAgeSeconds() ?? 0,
      inFlight: () => this.publisher.inFlight,
      buffered: () => this.publisher.buffered,
      connectedShards: () => this.connectedShards(),
      marketsSubscribed: () => this.marketCount(),
    });
    this.records = new StatusRecords(config.prefix, config.feed, this.instance);
    this.publisher = createConnectorPublisher(deps.bus, config.publisher, {
      metrics: this.metrics,
      records: this.records,
      clock: this.clock,
      logger: this.logger,
      conn: `${this.instance}-publisher`,
    });
    this.handler = new FrameHandler(
      config.prefix,
      this.publisher,
      this.records,
      this.metrics,
      this.recentTrades,
      this.logger,
    );
    deps.bus.onStatus((status) => {
      this.logger.info("nats status", { status });
      if (status === "connected") this.publisher.resume();
    });
  }

  async start(): Promise<void> {
    const info = await this.deps.bus.ensureStream(this.config.stream);
    this.logger.info("stream ready", {
      stream: info.name,
      subjects: info.subjects,
      messages: info.messages,
      ...(info.limits ? { limits: info.limits } : {}),
    });
    const needsMarkets = this.config.channels.includes("orderbook_delta");
    const selection = await selectMarkets(this.config, needsMarkets, this.deps.rest, this.logger);
    this.channels = planChannels(this.config.channels, selection.filtered);
    const plan = planShards(selection.initial, this.config.maxMarketsPerConnection);
    const shardMarkets = plan.shards.length > 0 ? plan.shards : [[]];
    this.shards.push(...shardMarkets.map((markets, index) => this.createShard(index, [...markets])));
    this.live = new LiveMarkets(plan, {
      shards: this.shards,
      openShard: (index, markets) => this.createShard(index, markets),
      accepts: selection.accepts,
      logger: this.logger,
    });
    this.running = true;
    const outcomes = await Promise.all(this.shards.map((shard) => shard.start()));
    const authFailure = outcomes.find((outcome) => outcome instanceof AuthError);
    if (authFailure && outcomes.every((outcome) => outcome !== undefined)) {
      await this.stop();
      throw authFailure;
    }
    this.logger.info("connector started", {
      shards: this.shards.length,
      symbols: this.marketCount(),
      channels: this.config.channels,
    });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await Promise.all(this.shards.map((shard) => shard.stop()));
    const flushed = await this.publisher.flush(this.config.drainTimeoutMs);
    this.publisher.close();
    const unpublished = this.publisher.buffered + this.publisher.inFlight;
    const summary = { flushed, published: this.metrics.counts.published, unpublished };
    if (flushed) this.logger.info("connector stopped", summary);
    else this.logger.error("connector stopped with unpublished frames (NATS did not ack in time)", summary);
  }

  stats(): ConnectorStats {
    return {
      shards: this.shards.length,
      connectedShards: this.connectedShards(),
      markets: this.marketCount(),
      received: this.handler.received,
      seqDuplicates: this.metrics.counts.seqDuplicates,
      published: this.metrics.counts.published,
      inFlight: this.publisher.inFlight,
      buffered: this.publisher.buffered,
      lost: this.metrics.counts.lost,
      lastMessageAgeSeconds: this.lastMessageAgeSeconds(),
      publishLagSeconds: this.lagSeconds(),
    };
  }

  health(): { ok: boolean } & Record<string, unknown> {
    const stats = this.stats();
    return {
      ok: this.running,
      connected_shards: stats.connectedShards,
      shards: stats.shards,
      markets_subscribed: stats.markets,
      last_message_age_seconds: stats.lastMessageAgeSeconds,
      publish_lag_seconds: stats.publishLagSeconds,
      in_flight: stats.inFlight,
      buffered: stats.buffered,
      nats_connected: this.deps.bus.isConnected(),
    };
  }

  ready(): boolean {
    return this.running && this.connectedShards() === this.shards.length && this.deps.bus.isConnected();
  }

  private createShard(index: number, markets: string[]): ShardSession {
    return new ShardSession(
      {
        index,
        instance: this.instance,
        config: this.config,
        channels: this.channels,
        wsFactory: this.deps.wsFactory,
        handler: this.handler,
        publisher: this.publisher,
        records: this.records,
        metrics: this.metrics,
        clock: this.clock,
        logger: this.logger,
        onLifecycle: (type, ticker, text) => this.onLifecycle(type, ticker, text),
        backfill: (window, tickers) => this.backfill(window, tickers),
      },
      markets,
    );
  }

  private backfill(window: { startUs: number; endUs: number; conn: string }, tickers: string[] | undefined) {
    const rest = this.deps.rest;
    if (!rest || !this.config.backfillTrades || !this.config.channels.includes("trade"))
      return Promise.resolve(0);
    const deps = {
      rest,
      prefix: this.config.prefix,
      publisher: this.publisher,
      recentTrades: this.recentTrades,
    };
    return backfillTrades(
      { ...deps, metrics: this.metrics, clock: this.clock, logger: this.logger },
      window,
      tickers,
    );
  }

  /** Lifecycle frames drive live re-sharding (only when markets are subscribed per market). */
  private onLifecycle(type: string, ticker: string, text: string): void {
    if (type !== "market_lifecycle_v2" || !this.running || this.channels.perMarket.length === 0) return;
    this.live?.apply(lifecycleEventType(text), ticker);
  }

  private connectedShards(): number {
    return this.shards.filter((shard) => shard.connected).length;
  }

  private marketCount(): number {
    return this.shards.reduce((total, shard) => total + shard.marketCount, 0);
  }

  private lastMessageAgeSeconds(): number | null {
    const last = this.handler.lastFrameUs;
    return last === 0 ? null : Math.max(0, (this.clock.nowUs() - last) / 1e6);
  }

  private lagSeconds(): number {
    const oldest = this.publisher.oldestPendingUs();
    return oldest === undefined ? 0 : Math.max(0, (this.clock.nowUs() - oldest) / 1e6);
  }
}
