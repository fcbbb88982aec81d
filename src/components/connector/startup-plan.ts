/**
 * What the connector settles at start() before it connects: the JetStream stream exists (created
 * or checked), which markets go on which connection and which channels are firehose or per
 * market. Also how the first connection attempts decide whether start() fails.
 */
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { AuthError } from "../../core/errors.js";
import { planShards, type ShardPlan } from "../../core/shard-plan.js";
import type { ConnectorConfig } from "./config.js";
import { selectMarkets } from "./market-selection.js";
import type { RestPort } from "./ports.js";
import { type ChannelPlan, planChannels } from "./subscriptions.js";

export interface StartupPlan {
  channels: ChannelPlan;
  shards: ShardPlan;
  /** Markets of each connection at start: at least one connection, empty when no markets are listed. */
  initialShards: string[][];
  /** Whether a market announced live (created/activated) should be added. */
  accepts(ticker: string): boolean;
}

export async function ensureStream(bus: Bus, config: ConnectorConfig, logger: Logger): Promise<void> {
  const info = await bus.ensureStream(config.stream);
  logger.info("stream ready", {
    stream: info.name,
    subjects: info.subjects,
    messages: info.messages,
    ...(info.limits ? { limits: info.limits } : {}),
  });
}

export async function planStartup(
  config: ConnectorConfig,
  rest: RestPort | undefined,
  logger: Logger,
): Promise<StartupPlan> {
  const needsMarkets = config.channels.includes("orderbook_delta");
  const selection = await selectMarkets(config, needsMarkets, rest, logger);
  const shards = planShards(selection.initial, config.maxMarketsPerConnection);
  return {
    channels: planChannels(config.channels, selection.filtered),
    shards,
    initialShards: shards.shards.length > 0 ? shards.shards.map((markets) => [...markets]) : [[]],
    accepts: selection.accepts,
  };
}

/**
 * start() fails only when every connection's first attempt failed and one of them on
 * authentication; otherwise the failed connections keep retrying in the background.
 */
export function authFailureOfAll(firstAttempts: readonly unknown[]): AuthError | undefined {
  const authFailure = firstAttempts.find((outcome): outcome is AuthError => outcome instanceof AuthError);
  if (!authFailure || firstAttempts.some((outcome) => outcome === undefined)) return undefined;
  return authFailure;
}
