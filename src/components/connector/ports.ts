/**
 * What the connector needs from the Kalshi clients, structurally. The real implementations are
 * adapters/kalshi/ws-client.ts (KalshiWsClient) and adapters/kalshi/rest-client.ts
 * (KalshiRestClient); the connector only depends on these shapes, so `ssmd demo` and tests can
 * hand it the same clients pointed at the simulator.
 */
import type { KalshiMessage } from "../../core/kalshi/types.js";

export interface WsSubscribeParams {
  channels: string[];
  market_tickers?: string[];
  send_initial_snapshot?: boolean;
  use_yes_price?: boolean;
}

export interface WsUpdateParams {
  sid: number;
  action: "add_markets" | "delete_markets" | "get_snapshot";
  market_tickers: string[];
}

/** One authenticated WebSocket session (one connection attempt). */
export interface WsSession {
  connect(): Promise<void>;
  subscribe(params: WsSubscribeParams): Promise<{ channel: string; sid: number }[]>;
  unsubscribe(sids: number[]): Promise<void>;
  updateSubscription(params: WsUpdateParams): Promise<string[] | undefined>;
  /** Every non-reply frame, raw bytes, with its receive time in Unix µs. */
  onFrame(listener: (data: Buffer, receivedUs: number) => void): void;
  /** Command replies (subscribed/ok/unsubscribed/error); ok/unsubscribed carry the sid's seq. */
  onReply(listener: (message: KalshiMessage) => void): void;
  onClose(listener: (code: number, reason: string) => void): void;
  /** Unix ms of the last frame or ping received. */
  readonly lastActivityMs: number;
  close(): Promise<void>;
}

/** Opens a new session object (not yet connected) for each connection attempt. */
export type WsFactory = () => WsSession;

/** A REST trade as Kalshi returns it (loose JSON; only trade_id is guaranteed). */
export interface RestTradeLike {
  trade_id: string;
  ticker?: string | undefined;
  market_ticker?: string | undefined;
  [field: string]: unknown;
}

export interface RestMarketLike {
  ticker: string;
  event_ticker?: string | undefined;
  [field: string]: unknown;
}

/** The REST calls the connector makes: market resolution and the post-outage trade backfill. */
export interface RestPort {
  markets(query: Record<string, string | number | undefined>): AsyncIterable<RestMarketLike>;
  trades(query: Record<string, string | number | undefined>): AsyncIterable<RestTradeLike>;
  series?(query: { category?: string }): Promise<{ ticker: string }[]>;
}

export interface Clock {
  nowMs(): number;
  nowUs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  nowUs: () => Math.round((performance.timeOrigin + performance.now()) * 1000),
};
