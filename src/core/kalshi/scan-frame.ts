/**
 * scanFrameHeader: the connector's hot path. Reads the routing fields of a Kalshi frame — type,
 * sid, seq, id, the ticker and a trade's id — without JSON.parse and without building objects.
 * Top-level members are walked in any order; inside `msg`, a flat object (the common case) is
 * searched with indexOf, anything else is walked member by member, so keys of nested objects
 * (additional_metadata, selected_markets) never leak into the header.
 * It does not validate the frame — parseFrame judges well-formedness — and returns undefined when
 * the text is not a JSON object with a string `type`. The msg scanners are in scan-msg.ts, the
 * character-level JSON helpers in scan-json.ts.
 */
import {
  CLOSE_BRACE,
  COLON,
  COMMA,
  digitsEnd,
  integerValue,
  isKey,
  OPEN_BRACE,
  QUOTE,
  skipSpace,
  stringAt,
  stringEnd,
  valueEnd,
} from "./scan-json.js";
import { isEventType, type MsgFields, scanFlatMsg, scanMsgByWalking } from "./scan-msg.js";

export { channelOfType, type FrameChannel } from "./parse-channel.js";

export interface FrameHeader {
  type: string;
  sid?: number;
  seq?: number;
  id?: number;
  /** market_ticker; event_ticker for event_lifecycle / event_fee_update; legacy trade `ticker`. */
  ticker?: string;
  /** trade_id of a trade (its deduplication key). */
  tradeId?: string;
}

function buildHeader(
  type: string,
  sid: number | undefined,
  seq: number | undefined,
  id: number | undefined,
  fields: MsgFields,
): FrameHeader {
  const header: FrameHeader = { type };
  if (sid !== undefined) header.sid = sid;
  else if (type === "subscribed" && fields.sid !== undefined) header.sid = fields.sid;
  if (seq !== undefined) header.seq = seq;
  if (id !== undefined) header.id = id;
  const ticker = isEventType(type)
    ? fields.eventTicker
    : type === "trade"
      ? (fields.marketTicker ?? fields.legacyTicker)
      : fields.marketTicker;
  if (ticker !== undefined) header.ticker = ticker;
  if (type === "trade" && fields.tradeId !== undefined) header.tradeId = fields.tradeId;
  return header;
}

/**
 * Kalshi's own compact layout, `{"type":"…"[,"sid":N][,"seq":N],"msg":{flat}}`, read by prefix
 * checks alone. Returns undefined for anything else (the general walk then decides).
 */
function scanCompactLayout(text: string): FrameHeader | undefined {
  if (!text.startsWith('{"type":"')) return undefined;
  const typeEnd = text.indexOf('"', 9);
  if (typeEnd < 0) return undefined;
  const type = text.slice(9, typeEnd);
  if (type.includes("\\")) return undefined;
  let pos = typeEnd + 1;
  let sid: number | undefined;
  let seq: number | undefined;
  if (text.startsWith(',"sid":', pos)) {
    const end = digitsEnd(text, pos + 7);
    sid = integerValue(text, pos + 7, end);
    pos = end;
  }
  if (text.startsWith(',"seq":', pos)) {
    const end = digitsEnd(text, pos + 7);
    seq = integerValue(text, pos + 7, end);
    pos = end;
  }
  if (!text.startsWith(',"msg":{', pos)) return undefined;
  const fields: MsgFields = {};
  const end = scanFlatMsg(text, pos + 7, type, fields);
  if (end < 0 || text.charCodeAt(end) !== CLOSE_BRACE || skipSpace(text, end + 1) !== text.length) {
    return undefined;
  }
  return buildHeader(type, sid, seq, undefined, fields);
}

/** Routing fields of a frame without JSON.parse; undefined when there is no string `type`. */
export function scanFrameHeader(text: string): FrameHeader | undefined {
  return scanCompactLayout(text) ?? scanAnyLayout(text);
}

/** Any key order, any whitespace, nested objects in msg. */
function scanAnyLayout(text: string): FrameHeader | undefined {
  const fields: MsgFields = {};
  let type: string | undefined;
  let sid: number | undefined;
  let seq: number | undefined;
  let id: number | undefined;
  let pos = skipSpace(text, 0);
  if (text.charCodeAt(pos) !== OPEN_BRACE) return undefined;
  pos = skipSpace(text, pos + 1);
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return undefined;
    const keyEnd = stringEnd(text, pos);
    if (keyEnd < 0) return undefined;
    const colon = skipSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return undefined;
    const start = skipSpace(text, colon + 1);
    let end: number;
    if (isKey(text, pos, keyEnd, "msg") && text.charCodeAt(start) === OPEN_BRACE) {
      end = type === undefined ? -1 : scanFlatMsg(text, start, type, fields);
      if (end < 0) end = scanMsgByWalking(text, start, fields);
    } else {
      end = valueEnd(text, start);
      if (end < 0) return undefined;
      if (isKey(text, pos, keyEnd, "type")) type = stringAt(text, start);
      else if (isKey(text, pos, keyEnd, "sid")) sid = integerValue(text, start, end);
      else if (isKey(text, pos, keyEnd, "seq")) seq = integerValue(text, start, end);
      else if (isKey(text, pos, keyEnd, "id")) id = integerValue(text, start, end);
    }
    if (end < 0) return undefined;
    pos = skipSpace(text, end);
    const next = text.charCodeAt(pos);
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return undefined;
    pos = skipSpace(text, pos + 1);
  }
  if (type === undefined) return undefined;
  return buildHeader(type, sid, seq, id, fields);
}
