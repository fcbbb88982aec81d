/**
 * Archive line encoding (contract: ARCHITECTURE.md §3). One line per message, `rt` first:
 *   {"rt":1765670400123456,"seq":8812,"subject":"prod.kalshi.json.trade.X","msg":{...frame verbatim...}}
 * The frame is spliced in verbatim (as text, or as bytes: archiveLineHead), never re-serialized;
 * archive-line-check.ts decides whether a payload can be spliced. Reading back takes the head fields with
 * string scans; only the frame is left as text for whoever needs to parse it.
 */
import { ParseError } from "./errors.js";
import type { StreamRecord } from "./record.js";

const HEAD_RT = '{"rt":';
const HEAD_SEQ = ',"seq":';
const HEAD_SUBJECT = ',"subject":"';
const HEAD_MSG = ',"msg":';

/** The line up to `"msg":`; the frame bytes and `}\n` follow (the archiver's byte-level hot path). */
export function archiveLineHead(rt: number, seq: number, subject: string): string {
  return `${HEAD_RT}${rt}${HEAD_SEQ}${seq}${HEAD_SUBJECT}${escapeSubject(subject)}","msg":`;
}

/** The line's part after rt and seq, up to `"msg":` (the same for every line of a subject). */
export function archiveLineTail(subject: string): string {
  return `${HEAD_SUBJECT}${escapeSubject(subject)}","msg":`;
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
