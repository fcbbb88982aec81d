/**
 * The connector: Kalshi WebSocket → JetStream, with nothing silently lost (issue 4, contract
 * ARCHITECTURE.md §3). `createConnector(config, deps)` takes a validated config and injected
 * adapters (bus, WS session factory, REST client, logger, clock); `ssmd connector` and
 * `ssmd demo` both build it. start() checks/creates the stream, resolves the markets, shards
 * them over connections and connects; stop() stops reading, flushes in-flight publishes and
 * closes the sockets.
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "../../adapters/log.js";
import { ConfigError } from "../../core/errors.js";
import { backfillTrades } from "./backfill.js";
import type { ConnectorConfig } from "./config.js";
import type { Connector, ConnectorDeps, ConnectorStats } from "./connector-api.js";
import { createConnectorPublisher } from "./connector-publisher.js";
import { ConnectorStatus } from "./connector-status.js";
import { FrameHandler } from "./frame-handler.js";
import { kalshiClients } from "./kalshi-clients.js";
import { LiveMarkets, lifecycleEventType } from "./live-markets.js";
import { ConnectorMetrics } from "./metrics.js";
import { type Clock, systemClock, type WsFactory } from "./ports.js";
import type { Publisher } from "./publisher.js";
import { RecentIds } from "./recent-ids.js";
import { ShardSession } from "./shard-session.js";
import { authFailureOfAll, ensureStream, planStartup } from "./startup-plan.js";
import { StatusRecords } from "./status-records.js";
import type { ChannelPlan } from "./subscriptions.js";

export type { ConnectorConfig, ConnectorConfigInput } from "./config.js";
export { resolveConnectorConfig } from "./config.js";
export type { Connector, ConnectorDeps, ConnectorStats } from "./connector-api.js";
export type { KalshiEndpoints } from "./kalshi-clients.js";
export { kalshiClients } from "./kalshi-clients.js";
export type { RestPort, WsFactory, WsSession } from "./ports.js";

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
  private readonly status: ConnectorStatus;
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
      lagSeconds: () => this.status.lagSeconds(),
      lastMessageAgeSeconds: () => this.status.lastMessageAgeSeconds() ?? 0,
      inFlight: () => this.publisher.inFlight,
      buffered: () => this.publisher.buffered,
      connectedShards: () => this.status.connectedShards(),
      marketsSubscribed: () => this.status.marketCount(),
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
    this.status = new ConnectorStatus({
      shards: this.shards,
      handler: this.handler,
      publisher: this.publisher,
      metrics: this.metrics,
      bus: deps.bus,
      clock: this.clock,
      running: () => this.running,
    });
    // The bus logs its own status changes ("nats status").
    deps.bus.onStatus((status) => {
      if (status === "connected") this.publisher.resume();
    });
  }

  async start(): Promise<void> {
    await ensureStream(this.deps.bus, this.config, this.logger);
    const startup = await planStartup(this.config, this.deps.rest, this.logger);
    this.channels = startup.channels;
    this.shards.push(...startup.initialShards.map((markets, index) => this.createShard(index, markets)));
    this.live = new LiveMarkets(startup.shards, {
      shards: this.shards,
      openShard: (index, markets) => this.createShard(index, markets),
      accepts: startup.accepts,
      logger: this.logger,
    });
    this.running = true;
    const authFailure = authFailureOfAll(await Promise.all(this.shards.map((shard) => shard.start())));
    if (authFailure) {
      await this.stop();
      throw authFailure;
    }
    this.logger.info("connector started", {
      shards: this.shards.length,
      symbols: this.status.marketCount(),
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
    return this.status.stats();
  }

  health(): { ok: boolean } & Record<string, unknown> {
    return this.status.health();
  }

  ready(): boolean {
    return this.status.ready();
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
}
