/**
 * Splits incoming WebSocket frames into command replies and data frames without decoding data
 * frames. Kalshi writes `{"type":"…"` first, so the type is read from the raw bytes; only when
 * the frame does not start that way is it decoded and scanned (scanFrameHeader, keys in any order).
 */
import { scanFrameHeader } from "../../core/kalshi/scan-frame.js";

/** Frame types that answer commands (PROTOCOL.md §2). Everything else is data. */
const REPLY_TYPES = new Set(["subscribed", "unsubscribed", "ok", "error", "list_subscriptions"]);
const TYPE_PREFIX = Buffer.from('{"type":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Longest type name worth reading from the prefix (reply types are short). */
const MAX_TYPE_BYTES = 64;

export function isReplyType(type: string): boolean {
  return REPLY_TYPES.has(type);
}

/** The type when the frame starts with `{"type":"<plain ascii>"`, else undefined. */
function prefixType(data: Buffer): string | undefined {
  if (
    data.length <= TYPE_PREFIX.length ||
    data.compare(TYPE_PREFIX, 0, TYPE_PREFIX.length, 0, TYPE_PREFIX.length) !== 0
  ) {
    return undefined;
  }
  const limit = Math.min(data.length, TYPE_PREFIX.length + MAX_TYPE_BYTES);
  for (let index = TYPE_PREFIX.length; index < limit; index++) {
    const byte = data[index];
    if (byte === QUOTE) return data.toString("latin1", TYPE_PREFIX.length, index);
    if (byte === BACKSLASH || byte === undefined || byte > 0x7e) return undefined;
  }
  return undefined;
}

/** True when the frame is a command reply; data frames and unreadable frames answer false. */
export function isReplyFrame(data: Buffer): boolean {
  const fast = prefixType(data);
  if (fast !== undefined) return REPLY_TYPES.has(fast);
  const header = scanFrameHeader(data.toString("utf8"));
  return header !== undefined && REPLY_TYPES.has(header.type);
}
