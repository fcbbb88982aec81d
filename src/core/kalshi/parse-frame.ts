/**
 * parseFrame: one Kalshi WebSocket frame (text) → a normalized KalshiMessage, or a ParseError that
 * names the offending field. Never throws. The parser is chosen by the frame's `type`, and within
 * a type each field by the shape present (current `*_dollars`/`*_fp` strings, else legacy
 * integers), so frames from any period parse to the same values. Unknown types parse to
 * kind "unknown" (kept); unknown fields land in `extra`.
 */
import { errorMessage, ParseError } from "../errors.js";
import { type Envelope, FieldReader, fieldError, isObject, type JsonObject } from "./parse-fields.js";
import {
  parseEventFeeUpdate,
  parseEventLifecycle,
  parseMarketLifecycle,
  parseMultivariateLookup,
} from "./parse-lifecycle.js";
import { parseOrderbookDelta, parseOrderbookSnapshot } from "./parse-orderbook.js";
import {
  parseErrorReply,
  parseOk,
  parseSubscribed,
  parseUnsubscribed,
  type ReplyReaders,
} from "./parse-reply.js";
import { parseTicker, parseTickerV2 } from "./parse-ticker.js";
import { parseTrade } from "./parse-trade.js";
import type { KalshiMessage, UnknownMessage } from "./types.js";

export { channelOfType, type FrameChannel } from "./parse-channel.js";
export { type FrameHeader, scanFrameHeader } from "./scan-frame.js";

export type ParseResult = { ok: true; message: KalshiMessage } | { ok: false; error: ParseError };

type DataParser = (msg: FieldReader, envelope: Envelope) => KalshiMessage;
type ReplyParser = (readers: ReplyReaders) => KalshiMessage;

const DATA_PARSERS: Record<string, DataParser> = {
  orderbook_snapshot: parseOrderbookSnapshot,
  orderbook_delta: parseOrderbookDelta,
  ticker: parseTicker,
  ticker_v2: parseTickerV2,
  trade: parseTrade,
  market_lifecycle_v2: (msg, envelope) => parseMarketLifecycle(msg, envelope, "market_lifecycle_v2"),
  multivariate_market_lifecycle: (msg, envelope) =>
    parseMarketLifecycle(msg, envelope, "multivariate_market_lifecycle"),
  event_lifecycle: parseEventLifecycle,
  event_fee_update: parseEventFeeUpdate,
  multivariate_lookup: parseMultivariateLookup,
};

const REPLY_PARSERS: Record<string, ReplyParser> = {
  subscribed: parseSubscribed,
  unsubscribed: parseUnsubscribed,
  ok: parseOk,
  list_subscriptions: parseOk,
  error: parseErrorReply,
};

/** Parses frame text. Malformed JSON, missing or mistyped fields → { ok: false, error }. */
export function parseFrame(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return { ok: false, error: new ParseError(`frame is not valid JSON: ${errorMessage(cause)}`, { cause }) };
  }
  return parseFrameValue(value);
}

/** Parses an already-decoded frame (e.g. an archive record's `msg`). Never throws. */
export function parseFrameValue(value: unknown): ParseResult {
  let type = "frame";
  try {
    if (!isObject(value)) throw fieldError("frame", "a JSON object", value);
    const top = new FieldReader(value, "frame");
    type = top.name("type");
    return { ok: true, message: parseTyped(type, top) };
  } catch (cause) {
    const text = errorMessage(cause);
    const message = type === "frame" ? text : `${type}: ${text}`;
    return { ok: false, error: new ParseError(message, { cause }) };
  }
}

function parseTyped(type: string, top: FieldReader): KalshiMessage {
  const envelope: Envelope = { sid: top.optionalNatural("sid"), seq: top.optionalNatural("seq") };
  const dataParser = DATA_PARSERS[type];
  if (dataParser !== undefined) {
    const msg = top.optionalObject("msg");
    if (msg === undefined) throw fieldError("frame.msg", "an object", undefined);
    return mergeEnvelopeExtra(dataParser(new FieldReader(msg, "msg"), envelope), top);
  }
  const replyParser = REPLY_PARSERS[type];
  if (replyParser !== undefined) {
    const id = top.optionalNatural("id");
    const raw = top.take("msg");
    const msg = isObject(raw) ? new FieldReader(raw, "msg") : undefined;
    if (raw !== undefined && raw !== null && msg === undefined && !Array.isArray(raw)) {
      throw fieldError("frame.msg", "an object or an array", raw);
    }
    return mergeEnvelopeExtra(replyParser({ top, msg, envelope, id }), top);
  }
  const unknown: UnknownMessage = {
    kind: "unknown",
    type,
    sid: envelope.sid,
    seq: envelope.seq,
    msg: top.take("msg"),
  };
  return mergeEnvelopeExtra(unknown, top);
}

/** Unknown top-level keys join `extra` (keys of `msg` win on a name clash). */
function mergeEnvelopeExtra(message: KalshiMessage, top: FieldReader): KalshiMessage {
  const envelopeExtra: JsonObject | undefined = top.extra();
  if (envelopeExtra === undefined) return message;
  message.extra = { ...envelopeExtra, ...message.extra };
  return message;
}
