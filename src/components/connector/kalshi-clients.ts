/**
 * Builds the connector's Kalshi dependencies from the real adapters: a KalshiWsClient per
 * connection attempt (fresh signature each time) and a KalshiRestClient for market resolution and
 * the trade backfill. `ssmd connector` and `ssmd demo` both use this.
 */
import type { KalshiCredentials } from "../../adapters/kalshi/credentials.js";
import { KalshiRestClient } from "../../adapters/kalshi/rest-client.js";
import { KalshiWsClient } from "../../adapters/kalshi/ws-client.js";
import type { Logger } from "../../adapters/log.js";
import type { RestPort, WsFactory } from "./ports.js";

export interface KalshiEndpoints {
  /** WebSocket URL, e.g. wss://.../trade-api/ws/v2 or ws://127.0.0.1:8765/trade-api/ws/v2 */
  wsUrl: string;
  /** REST base URL, e.g. https://.../trade-api/v2; omit to disable REST (no filters, no backfill). */
  restUrl?: string | undefined;
  credentials?: KalshiCredentials | undefined;
}

export function kalshiClients(
  endpoints: KalshiEndpoints,
  logger: Logger,
): { wsFactory: WsFactory; rest: RestPort | undefined } {
  const { wsUrl, restUrl, credentials } = endpoints;
  const wsFactory: WsFactory = () =>
    new KalshiWsClient({ url: wsUrl, ...(credentials ? { credentials } : {}), logger });
  if (!restUrl) return { wsFactory, rest: undefined };
  const client = new KalshiRestClient({ baseUrl: restUrl, ...(credentials ? { credentials } : {}), logger });
  const rest: RestPort = {
    markets: (query) => client.markets(query),
    trades: (query) => client.trades(query),
    series: (query) => client.series(query),
  };
  return { wsFactory, rest };
}
