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
  /** Last three '.' in the subject (last first), -1 when missing: found during the same scan. */
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

const RT_KEY = Buffer.from('{"rt":');
const SEQ_KEY = Buffer.from(',"seq":');
const SUBJECT_KEY = Buffer.from(',"subject":"');
const MSG_KEY = Buffer.from('","msg":');
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;
const CLOSE_BRACE = 125;
const DOT = 46;

function hasAt(buf: Buffer, at: number, key: Buffer): boolean {
  if (at + key.length > buf.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[at + i] !== key[i]) return false;
  return true;
}

/** Parses an unsigned integer ending at the next comma; returns the comma's index or -1. */
function readDigits(buf: Buffer, start: number, end: number, out: { value: number }): number {
  let value = 0;
  let index = start;
  for (; index < end; index++) {
    const code = buf[index]!;
    if (code === COMMA) break;
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
  }
  if (index === start || index >= end) return -1;
  out.value = value;
  return index;
}

const scratch = { value: 0 };

/**
 * Fills `header` from the line buf[start, end) (end excludes the newline and any '\r').
 * Returns false when the line does not have the canonical layout.
 */
export function readLineHeader(buf: Buffer, start: number, end: number, header: LineHeader): boolean {
  if (!hasAt(buf, start, RT_KEY)) return false;
  let at = readDigits(buf, start + RT_KEY.length, end, scratch);
  if (at < 0) return false;
  header.rt = scratch.value;
  if (!hasAt(buf, at, SEQ_KEY)) return false;
  at = readDigits(buf, at + SEQ_KEY.length, end, scratch);
  if (at < 0) return false;
  header.seq = scratch.value;
  if (!hasAt(buf, at, SUBJECT_KEY)) return false;
  const subjectStart = at + SUBJECT_KEY.length;
  let index = subjectStart;
  let last = -1;
  let second = -1;
  let third = -1;
  for (; index < end; index++) {
    const code = buf[index];
    if (code === QUOTE) break;
    if (code === DOT) {
      third = second;
      second = last;
      last = index;
    }
  }
  header.lastDot = last;
  header.secondDot = second;
  header.thirdDot = third;
  if (index >= end || buf[index - 1] === BACKSLASH) return false;
  if (!hasAt(buf, index, MSG_KEY) || buf[end - 1] !== CLOSE_BRACE) return false;
  header.subjectStart = subjectStart;
  header.subjectEnd = index;
  header.msgStart = index + MSG_KEY.length;
  header.msgEnd = end - 1;
  return header.msgEnd > header.msgStart;
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
