/**
 * Reads one header straight from a received NATS message's raw header block
 * (`NATS/1.0[ status]\r\nKey: value\r\n…\r\n\r\n`), without decoding every header into nats.js's
 * MsgHdrs — the archiver and gateway read two headers of every message, and that decode was a
 * tenth of their per-message cost. Names match case-insensitively (as MsgHdrs canonicalizes
 * them); the value is trimmed like nats.js does. The first occurrence wins.
 */
const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const decoder = new TextDecoder();

export function scanHeader(block: Uint8Array, name: string): string | undefined {
  let line = lineAfter(block, 0); // skip the NATS/1.0 status line
  while (line < block.length && block[line] !== CR) {
    const end = lineEnd(block, line);
    if (nameMatches(block, line, end, name)) return trimmedValue(block, line + name.length + 1, end);
    line = end + 2;
  }
  return undefined;
}

function lineEnd(block: Uint8Array, from: number): number {
  for (let i = from; i < block.length - 1; i++) if (block[i] === CR && block[i + 1] === LF) return i;
  return block.length;
}

function lineAfter(block: Uint8Array, from: number): number {
  return lineEnd(block, from) + 2;
}

function nameMatches(block: Uint8Array, at: number, end: number, name: string): boolean {
  if (at + name.length >= end || block[at + name.length] !== COLON) return false;
  for (let i = 0; i < name.length; i++) {
    if (lower(block[at + i]!) !== lower(name.charCodeAt(i))) return false;
  }
  return true;
}

function lower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

function trimmedValue(block: Uint8Array, from: number, end: number): string {
  let start = from;
  let stop = end;
  while (start < stop && isSpace(block[start]!)) start++;
  while (stop > start && isSpace(block[stop - 1]!)) stop--;
  return decoder.decode(block.subarray(start, stop));
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
