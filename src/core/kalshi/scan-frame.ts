/**
 * scanFrameHeader: the connector's hot path. Reads the routing fields of a Kalshi frame — type,
 * sid, seq, id, the ticker and a trade's id — without JSON.parse and without building objects.
 * Top-level members are walked in any order; inside `msg`, a flat object (the common case) is
 * searched with indexOf, anything else is walked member by member, so keys of nested objects
 * (additional_metadata, selected_markets) never leak into the header.
 * It does not validate the frame — parseFrame judges well-formedness — and returns undefined when
 * the text is not a JSON object with a string `type`. Helpers live in this one module on purpose:
 * the hot loop should not cross module bindings.
 */
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

/** Fields found inside `msg`. */
interface MsgFields {
  marketTicker?: string | undefined;
  eventTicker?: string | undefined;
  legacyTicker?: string | undefined;
  tradeId?: string | undefined;
  sid?: number | undefined;
}

/** Event-level messages carry event_ticker, not market_ticker (kept local: hot path). */
function isEventType(type: string): boolean {
  return type.charCodeAt(0) === 101 /* e */ && (type === "event_lifecycle" || type === "event_fee_update");
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

function skipSpace(text: string, pos: number): number {
  while (isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** pos at an opening quote → index after the closing quote, or -1 when unterminated. */
function stringEnd(text: string, pos: number): number {
  let from = pos + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The string token from `start` (opening quote) to `end` (after the closing quote), decoded. */
function stringValue(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes("\\")) return raw;
  try {
    const value: unknown = JSON.parse(text.slice(start, end));
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The string value starting at `start`, or undefined when it is not a string. */
function stringAt(text: string, start: number): string | undefined {
  if (text.charCodeAt(start) !== QUOTE) return undefined;
  const end = stringEnd(text, start);
  return end < 0 ? undefined : stringValue(text, start, end);
}

/** A non-negative integer spanning start..end (trailing spaces allowed), else undefined. */
function integerValue(text: string, start: number, end: number): number | undefined {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end <= start || end - start > 24) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return numberTokenValue(text.slice(start, end));
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? value : undefined;
}

const JSON_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Rare spellings JSON allows for an integer (12e3, 7.0) — what JSON.parse would make of them. */
function numberTokenValue(token: string): number | undefined {
  if (!JSON_NUMBER.test(token)) return undefined;
  const value = Number(token);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** pos at any value → index just after it, or -1 when the text ends first. */
function valueEnd(text: string, pos: number): number {
  const code = text.charCodeAt(pos);
  if (code === QUOTE) return stringEnd(text, pos);
  if (code === OPEN_BRACE || code === OPEN_BRACKET) return nestedEnd(text, pos);
  for (let index = pos; index < text.length; index++) {
    const next = text.charCodeAt(index);
    if (next === COMMA || next === CLOSE_BRACE || next === CLOSE_BRACKET) return index;
  }
  return -1;
}

function nestedEnd(text: string, pos: number): number {
  let depth = 0;
  for (let index = pos; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = stringEnd(text, index) - 1;
      if (index < 0) return -1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * Walks the object at `pos`: for each member, `visit(keyStart, keyEnd, valueStart)` returns where
 * the value ends. Returns the index after the closing brace, or -1 when it is not an object.
 */
function walkObject(
  text: string,
  pos: number,
  visit: (keyStart: number, keyEnd: number, valueStart: number) => number,
): number {
  if (text.charCodeAt(pos) !== OPEN_BRACE) return -1;
  pos = skipSpace(text, pos + 1);
  if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return -1;
    const keyEnd = stringEnd(text, pos);
    if (keyEnd < 0) return -1;
    const colon = skipSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return -1;
    const end = visit(pos, keyEnd, skipSpace(text, colon + 1));
    if (end < 0) return -1;
    pos = skipSpace(text, end);
    const next = text.charCodeAt(pos);
    if (next === CLOSE_BRACE) return pos + 1;
    if (next !== COMMA) return -1;
    pos = skipSpace(text, pos + 1);
  }
}

/** True when the key token keyStart..keyEnd (with quotes) is exactly `name`. */
function isKey(text: string, keyStart: number, keyEnd: number, name: string): boolean {
  return keyEnd - keyStart - 2 === name.length && text.startsWith(name, keyStart + 1);
}

/** Walks every member of `msg` (any layout; nested values skipped whole). */
function scanMsgByWalking(text: string, pos: number, fields: MsgFields): number {
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
 * Where `"key":` starts a value between `from` and `limit`, or -1. A quoted key cannot occur
 * inside a string value (its quotes would be escaped); an equal string value is told apart by the
 * colon that must follow a key.
 */
function memberValueStart(text: string, quotedKey: string, from: number, limit: number): number {
  for (;;) {
    const at = text.indexOf(quotedKey, from);
    if (at < 0 || at >= limit) return -1;
    const colon = skipSpace(text, at + quotedKey.length);
    if (text.charCodeAt(colon) === COLON) return skipSpace(text, colon + 1);
    from = at + 1;
  }
}

function stringMember(text: string, quotedKey: string, from: number, limit: number): string | undefined {
  const start = memberValueStart(text, quotedKey, from, limit);
  return start < 0 ? undefined : stringAt(text, start);
}

/**
 * Fast path for a flat `msg` (no nested object): its end is the first `}`, and every `"key":`
 * before it is one of msg's own members, so each wanted field is one indexOf. Returns -1 (walk
 * instead) when msg holds a nested object or what follows the `}` is not `,` or `}`.
 */
function scanFlatMsg(text: string, pos: number, type: string, fields: MsgFields): number {
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

function digitsEnd(text: string, pos: number): number {
  let code = text.charCodeAt(pos);
  while (code >= 48 && code <= 57) code = text.charCodeAt(++pos);
  return pos;
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
