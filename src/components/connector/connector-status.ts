/**
 * What the connector reports about itself, derived on demand from its shards, frame handler,
 * publisher and metrics: stats(), the /health body, readiness, and the lag and last-message-age
 * gauges. Reads only; changes nothing.
 */
import type { Bus } from "../../adapters/bus/types.js";
import type { ConnectorStats } from "./connector-api.js";
import type { FrameHandler } from "./frame-handler.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock } from "./ports.js";
import type { Publisher } from "./publisher.js";
import type { ShardSession } from "./shard-session.js";

export interface StatusSources {
  /** The connector's shard list, read live (live re-sharding appends to it). */
  shards: readonly ShardSession[];
  handler: FrameHandler;
  publisher: Publisher;
  metrics: ConnectorMetrics;
  bus: Bus;
  clock: Clock;
  /** Between a successful start() and stop(). */
  running(): boolean;
}

export class ConnectorStatus {
  constructor(private readonly sources: StatusSources) {}

  stats(): ConnectorStats {
    const { shards, handler, publisher, metrics } = this.sources;
    return {
      shards: shards.length,
      connectedShards: this.connectedShards(),
      markets: this.marketCount(),
      received: handler.received,
      seqDuplicates: metrics.counts.seqDuplicates,
      published: metrics.counts.published,
      inFlight: publisher.inFlight,
      buffered: publisher.buffered,
      lost: metrics.counts.lost,
      lastMessageAgeSeconds: this.lastMessageAgeSeconds(),
      publishLagSeconds: this.lagSeconds(),
    };
  }

  health(): { ok: boolean } & Record<string, unknown> {
    const stats = this.stats();
    return {
      ok: this.sources.running(),
      connected_shards: stats.connectedShards,
      shards: stats.shards,
      markets_subscribed: stats.markets,
      last_message_age_seconds: stats.lastMessageAgeSeconds,
      publish_lag_seconds: stats.publishLagSeconds,
      in_flight: stats.inFlight,
      buffered: stats.buffered,
      nats_connected: this.sources.bus.isConnected(),
    };
  }

  ready(): boolean {
    const { shards, bus } = this.sources;
    return this.sources.running() && this.connectedShards() === shards.length && bus.isConnected();
  }

  connectedShards(): number {
    return this.sources.shards.filter((shard) => shard.connected).length;
  }

  marketCount(): number {
    return this.sources.shards.reduce((total, shard) => total + shard.marketCount, 0);
  }

  lastMessageAgeSeconds(): number | null {
    const last = this.sources.handler.lastFrameUs;
    return last === 0 ? null : Math.max(0, (this.sources.clock.nowUs() - last) / 1e6);
  }

  lagSeconds(): number {
    const oldest = this.sources.publisher.oldestPendingUs();
    return oldest === undefined ? 0 : Math.max(0, (this.sources.clock.nowUs() - oldest) / 1e6);
  }
}
