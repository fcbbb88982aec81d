/**
 * Archive line encoding (contract: ARCHITECTURE.md §3). One line per message, `rt` first:
 *   {"rt":1765670400123456,"seq":8812,"subject":"prod.kalshi.json.trade.X","msg":{...frame verbatim...}}
 * The frame is spliced in as text, never re-serialized. Reading back takes the head fields with
 * string scans; only the frame is left as text for whoever needs to parse it.
 */
import { ParseError } from "./errors.js";
import type { StreamRecord } from "./record.js";

const HEAD_RT = '{"rt":';
const HEAD_SEQ = ',"seq":';
const HEAD_SUBJECT = ',"subject":"';
const HEAD_MSG = ',"msg":';

/** Why a frame cannot be spliced verbatim into a line. */
export type FrameProblem = "empty" | "not_json_object" | "contains_newline" | "invalid_json";

/**
 * Cheap check that the frame text can stand as the line's `msg` value: a JSON object or array
 * on one line. `strict` also validates the JSON fully (a scan, no allocation).
 */
export function frameProblem(frame: string, strict: boolean): FrameProblem | undefined {
  if (frame.length === 0) return "empty";
  const first = frame.charCodeAt(0);
  const last = frame.charCodeAt(frame.length - 1);
  const object = first === 0x7b && last === 0x7d; // { }
  const array = first === 0x5b && last === 0x5d; // [ ]
  if (!object && !array) return "not_json_object";
  if (frame.includes("\n") || frame.includes("\r")) return "contains_newline";
  if (strict && skipJsonValue(frame, 0, 0) !== frame.length) return "invalid_json";
  return undefined;
}

const MAX_DEPTH = 64;

/**
 * Validates JSON without building it (no allocation, unlike JSON.parse): returns the index just
 * past the value that starts at `i` (after whitespace), or -1 if the text is not valid JSON.
 */
export function skipJsonValue(text: string, i: number, depth: number): number {
  i = skipSpace(text, i);
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c === 0x7b || c === 0x5b)
    return depth >= MAX_DEPTH ? -1 : skipContainer(text, i, c === 0x7b, depth + 1);
  if (c === 0x74) return text.startsWith("true", i) ? i + 4 : -1;
  if (c === 0x66) return text.startsWith("false", i) ? i + 5 : -1;
  if (c === 0x6e) return text.startsWith("null", i) ? i + 4 : -1;
  return skipNumber(text, i);
}

function skipContainer(text: string, i: number, object: boolean, depth: number): number {
  const close = object ? 0x7d : 0x5d;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === close) return i + 1;
  for (;;) {
    if (object) {
      if (text.charCodeAt(i) !== 0x22) return -1;
      i = skipSpace(text, skipString(text, i));
      if (i < 0 || text.charCodeAt(i) !== 0x3a) return -1;
      i++;
    }
    i = skipJsonValue(text, i, depth);
    if (i < 0) return -1;
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === close) return i + 1;
    if (c !== 0x2c) return -1;
    i = skipSpace(text, i + 1);
  }
}

function skipString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = text.charCodeAt(++i);
      if (e === 0x75) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return -1;
        i += 4;
      } else if (!ESCAPES.has(e)) return -1;
    }
  }
  return -1;
}

const ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

function skipNumber(text: string, i: number): number {
  const start = i;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return -1;
  if (text.charCodeAt(i) === 0x2e) {
    if (!isDigit(text.charCodeAt(++i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(++i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i > start ? i : -1;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function skipSpace(text: string, i: number): number {
  if (i < 0) return i;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

/** Builds one line (with its trailing newline) from parts; `frame` must pass frameProblem. */
export function encodeArchiveLine(rt: number, seq: number, subject: string, frame: string): string {
  return `${HEAD_RT}${rt}${HEAD_SEQ}${seq}${HEAD_SUBJECT}${escapeSubject(subject)}","msg":${frame}}\n`;
}

/**
 * A frame that is not valid JSON is kept, as a JSON string, so nothing is lost and the line
 * still parses: `"msg":"<the raw text>"`. Readers see a string where they expect an object.
 */
export function encodeRawFrameLine(rt: number, seq: number, subject: string, frame: string): string {
  return `${HEAD_RT}${rt}${HEAD_SEQ}${seq}${HEAD_SUBJECT}${escapeSubject(subject)}","msg":${JSON.stringify(frame)}}\n`;
}

function escapeSubject(subject: string): string {
  // NATS subjects never contain quotes, backslashes or control characters; guard anyway.
  for (let i = 0; i < subject.length; i++) {
    const c = subject.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return JSON.stringify(subject).slice(1, -1);
  }
  return subject;
}

/** Reads rt, seq and subject from a line by position, leaving `msg` as text. */
export function decodeArchiveLine(line: string): StreamRecord {
  const text = line.endsWith("\n") ? line.slice(0, -1) : line;
  if (!text.startsWith(HEAD_RT) || !text.endsWith("}")) throw new ParseError("archive line is not an object");
  const seqAt = text.indexOf(HEAD_SEQ, HEAD_RT.length);
  const subjectAt = seqAt < 0 ? -1 : text.indexOf(HEAD_SUBJECT, seqAt);
  const msgAt = subjectAt < 0 ? -1 : text.indexOf(HEAD_MSG, subjectAt);
  if (msgAt < 0) throw new ParseError("archive line lacks rt/seq/subject/msg");
  const rt = Number(text.slice(HEAD_RT.length, seqAt));
  const seq = Number(text.slice(seqAt + HEAD_SEQ.length, subjectAt));
  if (!Number.isSafeInteger(rt) || !Number.isSafeInteger(seq))
    throw new ParseError("archive line rt/seq not integers");
  const subject = text.slice(subjectAt + HEAD_SUBJECT.length, msgAt - 1);
  const msg = text.slice(msgAt + HEAD_MSG.length, -1);
  if (msg.length === 0) throw new ParseError("archive line has an empty msg");
  return { rt, seq, subject, msg };
}

/** A line is complete when it decodes and its msg is valid JSON (used by crash salvage). */
export function isCompleteArchiveLine(line: string): boolean {
  try {
    JSON.parse(decodeArchiveLine(line).msg);
    return true;
  } catch {
    return false;
  }
}
