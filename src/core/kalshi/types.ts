/**
 * Normalized Kalshi WebSocket messages: what the pure parsers (core/kalshi/parse-*.ts) produce
 * from any wire shape (legacy integer cents/counts or current *_dollars / *_fp strings).
 * Prices are Price (1e-4 dollars) and sizes Count (1e-2 contracts) — see core/decimal.ts.
 * Times are Unix milliseconds. The verbatim frame is never lost: it stays in the stream/archive;
 * `extra` keeps fields the parser does not know, so nothing is dropped.
 */
import type { Count, Price } from "../decimal.js";

export type Side = "yes" | "no";
export type BookSide = "bid" | "ask";
/** One book level: [price, size]. Kalshi books hold bids only, on the YES and the NO leg. */
export type Level = [Price, Count];

/** Channels a client can subscribe to (market-data subset plus the private ones, for errors). */
export type KalshiChannel =
  | "orderbook_delta"
  | "ticker"
  | "ticker_v2"
  | "trade"
  | "market_lifecycle_v2"
  | "multivariate"
  | "multivariate_market_lifecycle"
  | "fill"
  | "market_positions"
  | "communications"
  | "order_group_updates"
  | "user_orders";

interface Base {
  /** Subscription id; undefined for command replies without sid. */
  sid: number | undefined;
  /** Per-subscription sequence, only on sequenced messages. */
  seq: number | undefined;
  /** Fields present on the wire that this parser does not model. */
  extra?: Record<string, unknown>;
}

export interface OrderbookSnapshot extends Base {
  kind: "orderbook_snapshot";
  ticker: string;
  marketId: string | undefined;
  /** YES bids ascending by price (best bid last). Empty when the side key is absent. */
  yes: Level[];
  /** NO bids ascending by price (best bid last). */
  no: Level[];
}

export interface OrderbookDelta extends Base {
  kind: "orderbook_delta";
  ticker: string;
  marketId: string | undefined;
  side: Side;
  price: Price;
  /** Signed change in contracts at that level. */
  delta: Count;
  tsMs: number | undefined;
  clientOrderId: string | undefined;
}

export interface TickerUpdate extends Base {
  kind: "ticker";
  ticker: string;
  marketId: string | undefined;
  /** Last trade price; undefined for never-traded markets (price_dollars ""). */
  price: Price | undefined;
  yesBid: Price | undefined;
  yesAsk: Price | undefined;
  yesBidSize: Count | undefined;
  yesAskSize: Count | undefined;
  lastTradeSize: Count | undefined;
  volume: Count | undefined;
  openInterest: Count | undefined;
  /** Whole dollars, as Kalshi sends them. */
  dollarVolume: number | undefined;
  dollarOpenInterest: number | undefined;
  /** ts_ms, else ts (seconds) × 1000. */
  tsMs: number | undefined;
  /** Undocumented global monotonic counter seen in production ("Clock"). */
  clock: number | undefined;
}

export interface TickerV2Update extends Base {
  kind: "ticker_v2";
  ticker: string;
  marketId: string | undefined;
  price: Price | undefined;
  yesBid: Price | undefined;
  yesAsk: Price | undefined;
  volumeDelta: Count | undefined;
  openInterestDelta: Count | undefined;
  dollarVolumeDelta: number | undefined;
  dollarOpenInterestDelta: number | undefined;
  tsMs: number | undefined;
}

export interface Trade extends Base {
  kind: "trade";
  tradeId: string;
  ticker: string;
  yesPrice: Price;
  noPrice: Price;
  count: Count;
  /** Outcome side the taker bought: taker_outcome_side, else legacy taker_side. */
  takerSide: Side | undefined;
  takerBookSide: BookSide | undefined;
  isBlockTrade: boolean | undefined;
  tsMs: number;
}

export type LifecycleEventType =
  | "created"
  | "activated"
  | "deactivated"
  | "close_date_updated"
  | "determined"
  | "settled"
  | "price_level_structure_updated"
  | "metadata_updated"
  | "fractional_trading_updated"
  | (string & {});

/** One band of a market's price grid (`price_ranges`): prices from start to end in steps. */
export interface PriceRange {
  start: Price;
  end: Price;
  step: Price;
}

/** Lifecycle times (openTs, closeTs, determinationTs, settledTs) are Unix ms (wire: seconds). */
export interface MarketLifecycle extends Base {
  kind: "market_lifecycle_v2" | "multivariate_market_lifecycle";
  ticker: string;
  eventType: LifecycleEventType;
  openTs: number | undefined;
  closeTs: number | undefined;
  result: string | undefined;
  determinationTs: number | undefined;
  settlementValue: Price | undefined;
  settledTs: number | undefined;
  isDeactivated: boolean | undefined;
  priceLevelStructure: string | undefined;
  additionalMetadata: Record<string, unknown> | undefined;
  /** price_ranges (created / price_level_structure_updated). */
  priceRanges?: PriceRange[] | undefined;
}

export interface EventLifecycle extends Base {
  kind: "event_lifecycle";
  eventTicker: string;
  seriesTicker: string | undefined;
  title: string | undefined;
  /** subtitle, or sub_title as some frames spell it. */
  subtitle: string | undefined;
  collateralReturnType: string | undefined;
  /** strike_date as Unix ms (wire: seconds). */
  strikeDate: number | undefined;
  strikePeriod: string | undefined;
}

/** event_fee_update (lifecycle channel): a fee override for every market of an event. */
export interface EventFeeUpdate extends Base {
  kind: "event_fee_update";
  eventTicker: string;
  feeTypeOverride: string | undefined;
  feeMultiplierOverride: number | undefined;
}

export interface MultivariateLookup extends Base {
  kind: "multivariate_lookup";
  collectionTicker: string;
  eventTicker: string;
  ticker: string;
  selectedMarkets: { eventTicker: string; ticker: string; side: string }[];
}

export interface Subscribed extends Base {
  kind: "subscribed";
  id: number | undefined;
  channel: string;
}

export interface Unsubscribed extends Base {
  kind: "unsubscribed";
  id: number | undefined;
}

export interface OkReply extends Base {
  kind: "ok";
  id: number | undefined;
  /** update_subscription: the full market list after the update. */
  marketTickers: string[] | undefined;
  /** list_subscriptions: the subscriptions. */
  subscriptions: { channel: string; sid: number }[] | undefined;
}

export interface ErrorReply extends Base {
  kind: "error";
  id: number | undefined;
  code: number;
  message: string;
  marketTicker: string | undefined;
}

/** A well-formed frame of a type this library does not model (kept, never dropped). */
export interface UnknownMessage extends Base {
  kind: "unknown";
  type: string;
  msg: unknown;
}

export type MarketDataMessage =
  | OrderbookSnapshot
  | OrderbookDelta
  | TickerUpdate
  | TickerV2Update
  | Trade
  | MarketLifecycle
  | EventLifecycle
  | EventFeeUpdate
  | MultivariateLookup;

export type ReplyMessage = Subscribed | Unsubscribed | OkReply | ErrorReply;

export type KalshiMessage = MarketDataMessage | ReplyMessage | UnknownMessage;

/** Wire format generation: integer cents/counts (≤ 2026-03) or fixed-point strings only. */
export type WireFormat = "legacy" | "current";

/** Client → server command envelope. */
export interface KalshiCommand {
  id: number;
  cmd: "subscribe" | "unsubscribe" | "update_subscription" | "list_subscriptions" | (string & {});
  params?: Record<string, unknown>;
}

/** Kalshi WS error codes (PROTOCOL.md §2.6). */
export const KalshiErrorCode = {
  UnableToProcess: 1,
  ParamsRequired: 2,
  ChannelsRequired: 3,
  SidsRequired: 4,
  UnknownCommand: 5,
  AlreadySubscribed: 6,
  UnknownSid: 7,
  UnknownChannel: 8,
  AuthRequired: 9,
  ChannelError: 10,
  InvalidParameter: 11,
  OneSidRequired: 12,
  UnsupportedAction: 13,
  MarketTickerRequired: 14,
  ActionRequired: 15,
  MarketNotFound: 16,
  InternalError: 17,
  CommandTimeout: 18,
  BufferOverflow: 25,
  MarketLimitExceeded: 26,
  TooManyRequests: 27,
} as const;
