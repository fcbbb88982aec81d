/**
 * Pure encoders for the server's command replies (PROTOCOL.md §2): subscribed, unsubscribed,
 * ok (update_subscription / list_subscriptions) and error. `id` 0 or undefined means "no id"
 * and is left out, as Kalshi does.
 */
import { KalshiErrorCode } from "./types.js";

type JsonFields = Record<string, unknown>;

function withId(id: number | undefined, fields: JsonFields): string {
  return JSON.stringify(id ? { id, ...fields } : fields);
}

export function encodeSubscribed(id: number | undefined, channel: string, sid: number): string {
  return withId(id, { type: "subscribed", msg: { channel, sid } });
}

export function encodeUnsubscribed(id: number | undefined, sid: number, seq: number): string {
  return withId(id, { sid, seq, type: "unsubscribed" });
}

/** update_subscription reply; `marketTickers` undefined with skip_ticker_ack. */
export function encodeUpdateOk(
  id: number | undefined,
  sid: number,
  seq: number,
  marketTickers: string[] | undefined,
): string {
  const msg = marketTickers === undefined ? {} : { msg: { market_tickers: marketTickers } };
  return withId(id, { sid, seq, type: "ok", ...msg });
}

export function encodeListOk(
  id: number | undefined,
  subscriptions: { channel: string; sid: number }[],
): string {
  return withId(id, { type: "ok", msg: subscriptions });
}

/** Kalshi's wording for each error code (PROTOCOL.md §2.6). */
const ERROR_TEXT: Record<number, string> = {
  [KalshiErrorCode.UnableToProcess]: "Unable to process message",
  [KalshiErrorCode.ParamsRequired]: "Params required",
  [KalshiErrorCode.ChannelsRequired]: "Channels required",
  [KalshiErrorCode.SidsRequired]: "Subscription IDs required",
  [KalshiErrorCode.UnknownCommand]: "Unknown command",
  [KalshiErrorCode.AlreadySubscribed]: "Already subscribed",
  [KalshiErrorCode.UnknownSid]: "Unknown subscription ID",
  [KalshiErrorCode.UnknownChannel]: "Unknown channel name",
  [KalshiErrorCode.AuthRequired]: "Authentication required",
  [KalshiErrorCode.ChannelError]: "Channel error",
  [KalshiErrorCode.InvalidParameter]: "Invalid parameter",
  [KalshiErrorCode.OneSidRequired]: "Exactly one subscription ID is required",
  [KalshiErrorCode.UnsupportedAction]: "Unsupported action",
  [KalshiErrorCode.MarketTickerRequired]: "Market Ticker required",
  [KalshiErrorCode.ActionRequired]: "Action required",
  [KalshiErrorCode.MarketNotFound]: "Market not found",
  [KalshiErrorCode.InternalError]: "Internal error",
  [KalshiErrorCode.CommandTimeout]: "Command timeout",
  [KalshiErrorCode.BufferOverflow]: "Subscription buffer overflow",
  [KalshiErrorCode.MarketLimitExceeded]: "Subscription market limit exceeded",
  [KalshiErrorCode.TooManyRequests]: "Too many requests",
};

export interface ErrorDetail {
  marketTicker?: string;
  /** Terminal errors on a subscription (25) name its sid in the envelope. */
  sid?: number;
}

export function encodeError(id: number | undefined, code: number, detail: ErrorDetail = {}): string {
  const msg: JsonFields = { code, msg: ERROR_TEXT[code] ?? "Error" };
  if (detail.marketTicker !== undefined) msg.market_ticker = detail.marketTicker;
  const sid = detail.sid === undefined ? {} : { sid: detail.sid };
  return withId(id, { type: "error", ...sid, msg });
}
