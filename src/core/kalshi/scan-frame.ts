/**
 * scanFrameHeader: the connector's hot path. Reads the routing fields of a Kalshi frame — type,
 * sid, seq, id, the ticker and the trade id — without JSON.parse and without building objects:
 * one forward walk over the top-level members and over `msg`'s own members, skipping every other
 * value with indexOf. Keys may come in any order; nested objects (additional_metadata,
 * selected_markets) are skipped, so their keys never leak into the header.
 * It does not validate the frame: parseFrame is the judge of well-formedness. It returns
 * undefined when the text is not a JSON object with a string `type`.
 */
import type { SubjectChannel } from "../subjects.js";

export interface FrameHeader {
  type: string;
  sid?: number;
  seq?: number;
  id?: number;
  /** market_ticker; event_ticker for event_lifecycle / event_fee_update; legacy trade `ticker`. */
  ticker?: string;
  tradeId?: string;
}

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

/** The ssmd subject channel of a Kalshi message type; undefined for replies and unknown types. */
export function channelOfType(type: string): FrameChannel | undefined {
  return Object.hasOwn(CHANNEL_OF_TYPE, type) ? CHANNEL_OF_TYPE[type] : undefined;
}

/** Fields found inside `msg`. */
interface MsgFields {
  marketTicker?: string;
  eventTicker?: string;
  legacyTicker?: string;
  tradeId?: string;
  sid?: number;
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

/** The string value from its opening quote to `end` (after the closing quote). */
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

/** A non-negative integer value between start and end, else undefined. */
function integerValue(text: string, start: number, end: number): number | undefined {
  if (end <= start || end - start > 15) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/** Reads one member's value starting at `start`; returns the index after it, or -1. */
type MemberVisitor = (key: string, start: number) => number;

/**
 * Walks the members of the object at `pos`, handing each key and value start to `visit`, which
 * returns where the value ends. Returns the index after the closing brace, or -1 when the text
 * is not an object.
 */
function walkObject(text: string, pos: number, visit: MemberVisitor): number {
  if (text.charCodeAt(pos) !== OPEN_BRACE) return -1;
  pos = skipSpace(text, pos + 1);
  if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return -1;
    const keyEnd = stringEnd(text, pos);
    if (keyEnd < 0) return -1;
    const key = text.slice(pos + 1, keyEnd - 1);
    pos = skipSpace(text, keyEnd);
    if (text.charCodeAt(pos) !== COLON) return -1;
    const end = visit(key, skipSpace(text, pos + 1));
    if (end < 0) return -1;
    pos = skipSpace(text, end);
    const next = text.charCodeAt(pos);
    if (next === CLOSE_BRACE) return pos + 1;
    if (next !== COMMA) return -1;
    pos = skipSpace(text, pos + 1);
  }
}

/** A string member's value (undefined when it is not a string) and where it ends. */
function readString(text: string, start: number): [string | undefined, number] {
  if (text.charCodeAt(start) !== QUOTE) return [undefined, valueEnd(text, start)];
  const end = stringEnd(text, start);
  return [end < 0 ? undefined : stringValue(text, start, end), end];
}

function readInteger(text: string, start: number): [number | undefined, number] {
  const end = valueEnd(text, start);
  if (end < 0) return [undefined, end];
  let last = end;
  while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
  return [integerValue(text, start, last), end];
}

function scanMsg(text: string, pos: number, fields: MsgFields): number {
  return walkObject(text, pos, (key, start) => {
    let end: number;
    if (key === "market_ticker") [fields.marketTicker, end] = readString(text, start);
    else if (key === "event_ticker") [fields.eventTicker, end] = readString(text, start);
    else if (key === "trade_id") [fields.tradeId, end] = readString(text, start);
    else if (key === "ticker") [fields.legacyTicker, end] = readString(text, start);
    else if (key === "sid") [fields.sid, end] = readInteger(text, start);
    else end = valueEnd(text, start);
    return end;
  });
}

function chooseTicker(type: string, fields: MsgFields): string | undefined {
  if (type === "event_lifecycle" || type === "event_fee_update") return fields.eventTicker;
  if (type === "trade") return fields.marketTicker ?? fields.legacyTicker;
  return fields.marketTicker;
}

/** Routing fields of a frame without JSON.parse; undefined when there is no string `type`. */
export function scanFrameHeader(text: string): FrameHeader | undefined {
  let type: string | undefined;
  const header: Omit<FrameHeader, "type"> = {};
  const fields: MsgFields = {};
  const end = walkObject(text, skipSpace(text, 0), (key, start) => {
    if (key === "type") {
      const [value, end] = readString(text, start);
      type = value;
      return end;
    }
    if (key === "sid" || key === "seq" || key === "id") {
      const [value, end] = readInteger(text, start);
      if (value !== undefined) header[key] = value;
      return end;
    }
    if (key === "msg" && text.charCodeAt(start) === OPEN_BRACE) return scanMsg(text, start, fields);
    return valueEnd(text, start);
  });
  if (end < 0 || type === undefined) return undefined;
  const ticker = chooseTicker(type, fields);
  if (ticker !== undefined) header.ticker = ticker;
  if (fields.tradeId !== undefined) header.tradeId = fields.tradeId;
  if (header.sid === undefined && type === "subscribed" && fields.sid !== undefined) header.sid = fields.sid;
  return { type, ...header };
}
