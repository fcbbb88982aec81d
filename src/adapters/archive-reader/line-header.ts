/**
 * Reads the fixed prefix of an archive line straight from the decompressed bytes, without
 * JSON.parse (contract §3: `{"rt":N,"seq":N,"subject":"S","msg":{frame}}`, `rt` first).
 * The reader filters on rt / subject with these offsets and only decodes lines it keeps.
 * Lines in any other layout (keys reordered by a foreign tool) fall back to JSON.parse.
 */
import type { StreamRecord } from "../../core/record.js";

/** Offsets of one line's fields inside a buffer; reused between lines (no allocation per line). */
export interface LineHeader {
  rt: number;
  seq: number;
  subjectStart: number;
  subjectEnd: number;
  /** Last three '.' in the subject (last first), -1 when missing or not looked for yet (findSubjectDots). */
  lastDot: number;
  secondDot: number;
  thirdDot: number;
  msgStart: number;
  msgEnd: number;
}

export function createLineHeader(): LineHeader {
  return {
    rt: 0,
    seq: 0,
    subjectStart: 0,
    subjectEnd: 0,
    lastDot: -1,
    secondDot: -1,
    thirdDot: -1,
    msgStart: 0,
    msgEnd: 0,
  };
}

const SEQ_KEY = Buffer.from(',"seq":');
const SUBJECT_KEY = Buffer.from(',"subject":"');
const MSG_KEY = Buffer.from('","msg":');
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE_BRACE = 125;
const DOT = 46;

/** buf[at, at + key.length) equals key, within the line (before `end`). */
function hasAt(buf: Buffer, at: number, end: number, key: Buffer): boolean {
  const length = key.length;
  if (at + length > end) return false;
  for (let i = 0; i < length; i++) if (buf[at + i] !== key[i]) return false;
  return true;
}

/** `{"rt":` then a digit: the start every canonical line has. */
function startsCanonically(buf: Buffer, start: number): boolean {
  return (
    buf[start] === 123 &&
    buf[start + 1] === QUOTE &&
    buf[start + 2] === 114 &&
    buf[start + 3] === 116 &&
    buf[start + 4] === QUOTE &&
    buf[start + 5] === 58
  );
}

/**
 * Fills `header` from the line buf[start, end) (end excludes the newline and any '\r').
 * Returns false when the line does not have the canonical layout. One pass, no calls per byte:
 * this runs for every line the reader sees, kept or not.
 */
export function readLineHeader(buf: Buffer, start: number, end: number, header: LineHeader): boolean {
  if (!startsCanonically(buf, start)) return false;
  let at = start + 6;
  let rt = 0;
  let code = buf[at]!;
  while (code >= 48 && code <= 57 && at < end) {
    rt = rt * 10 + (code - 48);
    code = buf[++at]!;
  }
  if (at === start + 6 || !hasAt(buf, at, end, SEQ_KEY)) return false;
  at += SEQ_KEY.length;
  const seqStart = at;
  let seq = 0;
  code = buf[at]!;
  while (code >= 48 && code <= 57 && at < end) {
    seq = seq * 10 + (code - 48);
    code = buf[++at]!;
  }
  if (at === seqStart || !hasAt(buf, at, end, SUBJECT_KEY)) return false;
  const subjectStart = at + SUBJECT_KEY.length;
  const quote = buf.indexOf(QUOTE, subjectStart);
  if (quote < 0 || quote >= end || buf[quote - 1] === BACKSLASH) return false;
  if (!hasAt(buf, quote, end, MSG_KEY) || buf[end - 1] !== CLOSE_BRACE) return false;
  header.rt = rt;
  header.seq = seq;
  header.subjectStart = subjectStart;
  header.subjectEnd = quote;
  header.lastDot = -1;
  header.secondDot = -1;
  header.thirdDot = -1;
  header.msgStart = quote + MSG_KEY.length;
  header.msgEnd = end - 1;
  return header.msgEnd > header.msgStart;
}

/**
 * Fills the header's last three '.' of the subject (readLineHeader leaves them at -1: a filter
 * that rejects a line on its last token never needs them). Scans back from the subject's end.
 */
export function findSubjectDots(buf: Buffer, header: LineHeader): void {
  let last = -1;
  let second = -1;
  let third = -1;
  for (let index = header.subjectEnd - 1; index >= header.subjectStart; index--) {
    if (buf[index] !== DOT) continue;
    if (last < 0) last = index;
    else if (second < 0) second = index;
    else {
      third = index;
      break;
    }
  }
  header.lastDot = last;
  header.secondDot = second;
  header.thirdDot = third;
}

/** Slow path for a line in another layout: full JSON.parse, validated. Undefined if not a record. */
export function parseLineSlow(text: string): StreamRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { rt, seq, subject, msg } = value as Record<string, unknown>;
  if (typeof rt !== "number" || !Number.isSafeInteger(rt)) return undefined;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq)) return undefined;
  if (typeof subject !== "string" || msg === undefined) return undefined;
  return { rt, seq, subject, msg: JSON.stringify(msg) };
}

/** One archive line for a record: `msg` is the frame's JSON text, embedded verbatim. */
export function formatArchiveLine(record: StreamRecord): string {
  return `{"rt":${record.rt},"seq":${record.seq},"subject":${JSON.stringify(record.subject)},"msg":${record.msg}}`;
}
