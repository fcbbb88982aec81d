/** What a ShardSession (shard-session.ts) is given by the connector. */
import type { Logger } from "../../adapters/log.js";
import type { ConnectorConfig } from "./config.js";
import type { FrameHandler } from "./frame-handler.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock, WsFactory } from "./ports.js";
import type { Publisher } from "./publisher.js";
import type { StatusRecords } from "./status-records.js";
import type { ChannelPlan } from "./subscriptions.js";

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
