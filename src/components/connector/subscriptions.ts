/**
 * Which channels a connection subscribes, and how: firehose channels (no market list) live on
 * shard 0 only; per-market channels (orderbook_delta always; ticker/trade when markets are
 * filtered) carry the shard's market list. One subscribe command per channel, so each sid maps
 * to exactly one channel.
 */
import { KalshiCommandError } from "../../adapters/kalshi/errors.js";
import type { Logger } from "../../adapters/log.js";
import type { WsSession, WsSubscribeParams } from "./ports.js";

export interface ChannelPlan {
  /** Subscribed once, without markets, on shard 0. */
  firehose: string[];
  /** Subscribed on every shard with that shard's markets. */
  perMarket: string[];
}

const LIFECYCLE = new Set(["market_lifecycle_v2", "multivariate_market_lifecycle", "multivariate"]);

/** `filtered`: markets come from tickers/series/categories (else ticker/trade are firehose). */
export function planChannels(channels: string[], filtered: boolean): ChannelPlan {
  const firehose: string[] = [];
  const perMarket: string[] = [];
  for (const channel of channels) {
    if (channel === "orderbook_delta") perMarket.push(channel);
    else if (LIFECYCLE.has(channel) || !filtered) firehose.push(channel);
    else perMarket.push(channel);
  }
  return { firehose, perMarket };
}

export interface Subscription {
  channel: string;
  sid: number;
  /** Markets of a per-market subscription; undefined for a firehose one. */
  tickers: string[] | undefined;
}

export function subscribeParams(channel: string, tickers: string[] | undefined): WsSubscribeParams {
  const params: WsSubscribeParams = { channels: [channel] };
  if (tickers) params.market_tickers = tickers;
  if (channel === "orderbook_delta") params.use_yes_price = false;
  if (channel === "ticker" && tickers) params.send_initial_snapshot = true;
  return params;
}

/**
 * Subscribes one channel. A market Kalshi does not know (code 16) is dropped from the list and
 * the subscribe retried, so one bad ticker does not block the others; it is reported in `rejected`.
 */
export async function subscribeChannel(
  session: WsSession,
  channel: string,
  tickers: string[] | undefined,
  logger: Logger,
): Promise<{ subscription: Subscription | undefined; rejected: string[] }> {
  let remaining = tickers;
  const rejected: string[] = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (remaining && remaining.length === 0) return { subscription: undefined, rejected };
    try {
      const replies = await session.subscribe(subscribeParams(channel, remaining));
      const reply = replies.find((entry) => entry.channel === channel) ?? replies[0];
      if (!reply) return { subscription: undefined, rejected };
      return {
        subscription: { channel, sid: reply.sid, tickers: remaining ? [...remaining] : undefined },
        rejected,
      };
    } catch (error) {
      const bad =
        error instanceof KalshiCommandError && error.kalshiCode === 16 ? error.marketTicker : undefined;
      if (!bad || !remaining?.includes(bad)) throw error;
      logger.warn("market not found at Kalshi, not subscribing it", { channel, ticker: bad });
      rejected.push(bad);
      remaining = remaining.filter((ticker) => ticker !== bad);
    }
  }
  return { subscription: undefined, rejected };
}
