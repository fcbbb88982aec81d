/**
 * Splits incoming WebSocket frames into command replies and data frames without decoding data
 * frames. Kalshi writes `{"type":"…"` first, so the type is read from the raw bytes; only when
 * the frame does not start that way is it decoded and scanned (scanFrameHeader, keys in any order).
 */
import { scanFrameHeader } from "../../core/kalshi/scan-frame.js";

/** Frame types that answer commands (PROTOCOL.md §2). Everything else is data. */
const REPLY_TYPES = new Set(["subscribed", "unsubscribed", "ok", "error", "list_subscriptions"]);
const REPLY_TYPE_BYTES = [...REPLY_TYPES].map((type) => Buffer.from(`${type}"`, "latin1"));
const TYPE_PREFIX = Buffer.from('{"type":"', "latin1");
const PREFIX_LENGTH = TYPE_PREFIX.length;

function startsWithTypePrefix(data: Buffer): boolean {
  if (data.length <= PREFIX_LENGTH) return false;
  for (let index = 0; index < PREFIX_LENGTH; index++) {
    if (data[index] !== TYPE_PREFIX[index]) return false;
  }
  return true;
}

/** Whether the type right after `{"type":"` is one of the reply types (`name"` compared bytewise). */
function prefixIsReply(data: Buffer): boolean {
  for (const candidate of REPLY_TYPE_BYTES) {
    if (data.length < PREFIX_LENGTH + candidate.length) continue;
    let same = true;
    for (let index = 0; index < candidate.length && same; index++) {
      same = data[PREFIX_LENGTH + index] === candidate[index];
    }
    if (same) return true;
  }
  return false;
}

/**
 * True when the frame is a command reply; data frames and unreadable frames answer false.
 * Fast path: a frame starting `{"type":"` is decided from its first bytes (an escaped type
 * name cannot equal a reply type, and a quote ends the name). Otherwise it is decoded and scanned.
 */
export function isReplyFrame(data: Buffer): boolean {
  if (startsWithTypePrefix(data)) return prefixIsReply(data);
  const header = scanFrameHeader(data.toString("utf8"));
  return header !== undefined && REPLY_TYPES.has(header.type);
}
