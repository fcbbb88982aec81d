/**
 * The connector's public contract: what createConnector (index.ts) is given, and what the
 * returned Connector offers (start/stop, stats, /health body, readiness, metrics).
 */
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import type { KalshiEndpoints } from "./kalshi-clients.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock, RestPort, WsFactory } from "./ports.js";

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
