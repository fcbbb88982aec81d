/**
 * Can a payload be spliced verbatim into an archive line as its `msg`? It must be one-line JSON
 * (an object or array). Works on the payload bytes (UTF-8) without decoding or allocating, so
 * the archiver can check every message: a strict check is a full JSON validation scan.
 */

/** Why a frame cannot be spliced verbatim into a line. */
export type FrameProblem = "empty" | "not_json_object" | "contains_newline" | "invalid_json";

const MAX_DEPTH = 64;

export function frameProblem(frame: Uint8Array, strict: boolean): FrameProblem | undefined {
  if (frame.length === 0) return "empty";
  const first = frame[0];
  const last = frame[frame.length - 1];
  const object = first === 0x7b && last === 0x7d; // { }
  const array = first === 0x5b && last === 0x5d; // [ ]
  if (!object && !array) return "not_json_object";
  if (frame.indexOf(0x0a) >= 0 || frame.indexOf(0x0d) >= 0) return "contains_newline";
  if (strict && skipJsonValue(frame, 0, 0) !== frame.length) return "invalid_json";
  return undefined;
}

/** Index just past the JSON value starting at `i` (after whitespace), or -1 if invalid. */
export function skipJsonValue(bytes: Uint8Array, i: number, depth: number): number {
  i = skipSpace(bytes, i);
  const c = bytes[i];
  if (c === 0x22) return skipString(bytes, i);
  if (c === 0x7b || c === 0x5b)
    return depth >= MAX_DEPTH ? -1 : skipContainer(bytes, i, c === 0x7b, depth + 1);
  if (c === 0x74) return matches(bytes, i, TRUE) ? i + 4 : -1;
  if (c === 0x66) return matches(bytes, i, FALSE) ? i + 5 : -1;
  if (c === 0x6e) return matches(bytes, i, NULL) ? i + 4 : -1;
  return skipNumber(bytes, i);
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function matches(bytes: Uint8Array, i: number, word: number[]): boolean {
  return word.every((byte, k) => bytes[i + k] === byte);
}

function skipContainer(bytes: Uint8Array, i: number, object: boolean, depth: number): number {
  const close = object ? 0x7d : 0x5d;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === close) return i + 1;
  for (;;) {
    if (object) {
      if (bytes[i] !== 0x22) return -1;
      i = skipSpace(bytes, skipString(bytes, i));
      if (i < 0 || bytes[i] !== 0x3a) return -1;
      i++;
    }
    i = skipJsonValue(bytes, i, depth);
    if (i < 0) return -1;
    i = skipSpace(bytes, i);
    const c = bytes[i];
    if (c === close) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipSpace(bytes, i + 1);
  }
}

const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function skipString(bytes: Uint8Array, i: number): number {
  for (i++; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = bytes[++i]!;
      if (e === 0x75) {
        for (let k = 1; k <= 4; k++) if (!isHex(bytes[i + k])) return -1;
        i += 4;
      } else if (!ESCAPES.has(e)) return -1;
    }
  }
  return -1;
}

function skipNumber(bytes: Uint8Array, i: number): number {
  const start = i;
  if (bytes[i] === 0x2d) i++;
  if (bytes[i] === 0x30) i++;
  else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
  else return -1;
  if (bytes[i] === 0x2e) {
    if (!isDigit(bytes[++i])) return -1;
    while (isDigit(bytes[i])) i++;
  }
  const e = bytes[i];
  if (e === 0x65 || e === 0x45) {
    const sign = bytes[++i];
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(bytes[i])) return -1;
    while (isDigit(bytes[i])) i++;
  }
  return i > start ? i : -1;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

function skipSpace(bytes: Uint8Array, i: number): number {
  if (i < 0) return i;
  for (;;) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

const GAP_PREFIXES = ['{"type":"ssmd_gap"', '{"type":"ssmd_disconnect"'].map((text) =>
  new TextEncoder().encode(text),
);

/** Cheap check on payload bytes: does it look like a gap/disconnect record? */
export function looksLikeGapRecordBytes(frame: Uint8Array): boolean {
  if (frame[9] !== 0x73 || frame[13] !== 0x5f) return false; // {"type":"ssmd_
  return GAP_PREFIXES.some((prefix) => prefix.every((byte, k) => frame[k] === byte));
}
