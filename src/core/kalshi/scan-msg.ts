/**
 * Scanning a frame's `msg` object for the header fields (tickers, trade_id, a subscription's sid):
 * a flat msg (the common case) is searched with indexOf, anything else is walked member by
 * member, so keys of nested objects (additional_metadata, selected_markets) never leak out.
 */
import {
  CLOSE_BRACE,
  COMMA,
  integerValue,
  isKey,
  memberValueStart,
  skipSpace,
  stringAt,
  stringMember,
  valueEnd,
  walkObject,
} from "./scan-json.js";

/** Fields found inside `msg`. */
export interface MsgFields {
  marketTicker?: string | undefined;
  eventTicker?: string | undefined;
  legacyTicker?: string | undefined;
  tradeId?: string | undefined;
  sid?: number | undefined;
}

/** Event-level messages carry event_ticker, not market_ticker (kept local: hot path). */
export function isEventType(type: string): boolean {
  return type.charCodeAt(0) === 101 /* e */ && (type === "event_lifecycle" || type === "event_fee_update");
}

/** Walks every member of `msg` (any layout; nested values skipped whole). */
export function scanMsgByWalking(text: string, pos: number, fields: MsgFields): number {
  return walkObject(text, pos, (keyStart, keyEnd, start) => {
    if (isKey(text, keyStart, keyEnd, "market_ticker")) fields.marketTicker = stringAt(text, start);
    else if (isKey(text, keyStart, keyEnd, "event_ticker")) fields.eventTicker = stringAt(text, start);
    else if (isKey(text, keyStart, keyEnd, "trade_id")) fields.tradeId = stringAt(text, start);
    else if (isKey(text, keyStart, keyEnd, "ticker")) fields.legacyTicker = stringAt(text, start);
    const end = valueEnd(text, start);
    if (end >= 0 && isKey(text, keyStart, keyEnd, "sid")) fields.sid = integerValue(text, start, end);
    return end;
  });
}

/**
 * Fast path for a flat `msg` (no nested object): its end is the first `}`, and every `"key":`
 * before it is one of msg's own members, so each wanted field is one indexOf. Returns -1 (walk
 * instead) when msg holds a nested object or what follows the `}` is not `,` or `}`.
 */
export function scanFlatMsg(text: string, pos: number, type: string, fields: MsgFields): number {
  const close = text.indexOf("}", pos + 1);
  const open = text.indexOf("{", pos + 1);
  if (close < 0 || (open >= 0 && open < close)) return -1;
  const after = text.charCodeAt(skipSpace(text, close + 1));
  if (after !== COMMA && after !== CLOSE_BRACE) return -1;
  if (isEventType(type)) {
    fields.eventTicker = stringMember(text, '"event_ticker"', pos, close);
    return close + 1;
  }
  fields.marketTicker = stringMember(text, '"market_ticker"', pos, close);
  if (type === "trade") {
    fields.tradeId = stringMember(text, '"trade_id"', pos, close);
    if (fields.marketTicker === undefined) fields.legacyTicker = stringMember(text, '"ticker"', pos, close);
  } else if (type === "subscribed") {
    const start = memberValueStart(text, '"sid"', pos, close);
    if (start >= 0) fields.sid = integerValue(text, start, valueEnd(text, start));
  }
  return close + 1;
}
