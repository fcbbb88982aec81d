/**
 * A complete server → client WebSocket text frame (RFC 6455 §5.2: FIN + opcode 1, unmasked,
 * 7/16/64-bit length) built once per event. Every subscriber's socket gets the same bytes with
 * one write, instead of ws re-framing the payload for each client.
 */
import type { EventType } from "./events.js";

/** One queued message: the framed bytes and what kind of event it is (metrics, conflation). */
export interface QueueItem {
  readonly frame: Buffer;
  readonly type: EventType;
}

export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (length < 126) frame[1] = length;
  else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, "utf8");
  return frame;
}

export function queueItem(text: string, type: EventType): QueueItem {
  return { frame: textFrame(text), type };
}
