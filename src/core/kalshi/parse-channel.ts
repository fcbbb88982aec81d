/**
 * Which ssmd subject channel (ARCHITECTURE.md §3) a Kalshi message type travels on:
 * trade → trade; ticker, ticker_v2 → ticker; orderbook_snapshot/delta → orderbook; market and
 * event lifecycle types → lifecycle. Replies and unknown types have none.
 */
import type { SubjectChannel } from "../subjects.js";

export type FrameChannel = SubjectChannel;

const CHANNEL_OF_TYPE: Record<string, FrameChannel> = {
  trade: "trade",
  ticker: "ticker",
  ticker_v2: "ticker",
  orderbook_snapshot: "orderbook",
  orderbook_delta: "orderbook",
  market_lifecycle_v2: "lifecycle",
  event_lifecycle: "lifecycle",
  multivariate_market_lifecycle: "lifecycle",
  event_fee_update: "lifecycle",
};

/** The Kalshi message types of each channel (the same table, inverted). */
export const TYPES_BY_CHANNEL: Readonly<Record<FrameChannel, readonly string[]>> = typesByChannel();

function typesByChannel(): Record<FrameChannel, string[]> {
  const out: Record<FrameChannel, string[]> = { trade: [], ticker: [], orderbook: [], lifecycle: [] };
  for (const [type, channel] of Object.entries(CHANNEL_OF_TYPE)) out[channel].push(type);
  return out;
}

/** The ssmd subject channel of a Kalshi message type; undefined for replies and unknown types. */
export function channelOfType(type: string): FrameChannel | undefined {
  return Object.hasOwn(CHANNEL_OF_TYPE, type) ? CHANNEL_OF_TYPE[type] : undefined;
}

/** Event-level messages are keyed by event_ticker (no market_ticker). */
export function isEventType(type: string): boolean {
  return type === "event_lifecycle" || type === "event_fee_update";
}
