/**
 * What a reader keeps: a time window on rt, tickers (subject tokens), channels and Kalshi message
 * types. Decided on the line's bytes (see line-header.ts); only kept lines are decoded.
 * Gap and disconnect records (`{prefix}.status.gap|disconnect`) are kept whenever they fall in the
 * time window and concern the wanted tickers, so every consumer sees where data is missing.
 */
import type { SubjectChannel } from "../../core/subjects.js";
import { tickerToken } from "../../core/subjects.js";
import { findSubjectDots, type LineHeader } from "./line-header.js";

export interface RecordFilterSpec {
  /** Inclusive lower bound on rt, Unix µs. */
  fromUs?: number;
  /** Exclusive upper bound on rt, Unix µs. */
  toUs?: number;
  /** Kalshi tickers or subject tokens ('.' and '_' both accepted). */
  tickers?: readonly string[];
  channels?: readonly SubjectChannel[];
  /** Kalshi message types, e.g. "orderbook_delta", "trade". */
  types?: readonly string[];
  /** Keep ssmd gap/disconnect records (default true). */
  includeGaps?: boolean;
}

export type LineVerdict = "skip" | "data" | "gap" | "status";

const DOT = 46;
const JSON_BYTES = [106, 115, 111, 110]; // "json"
const STATUS_BYTES = [115, 116, 97, 116, 117, 115]; // "status"
const GAP_SUFFIXES = [Buffer.from(".status.gap"), Buffer.from(".status.disconnect")];
/** Up to this many tickers are compared as bytes (no allocation); more: one string, a Set lookup. */
const FEW_TOKENS = 16;

export class RecordFilter {
  readonly fromUs: number;
  readonly toUs: number;
  private readonly tokens: Set<string> | undefined;
  /** The wanted tokens as bytes when there are few of them (compared in place). */
  private readonly fewTokens: Buffer[] | undefined;
  private readonly channelBytes: Buffer[] | undefined;
  private readonly typePrefixes: Buffer[] | undefined;
  readonly includeGaps: boolean;

  constructor(spec: RecordFilterSpec = {}) {
    this.fromUs = spec.fromUs ?? Number.NEGATIVE_INFINITY;
    this.toUs = spec.toUs ?? Number.POSITIVE_INFINITY;
    this.tokens = spec.tickers?.length ? new Set(spec.tickers.map(tickerToken)) : undefined;
    this.fewTokens =
      this.tokens && this.tokens.size <= FEW_TOKENS
        ? [...this.tokens].map((token) => Buffer.from(token))
        : undefined;
    this.channelBytes = spec.channels?.length
      ? spec.channels.map((channel) => Buffer.from(channel))
      : undefined;
    this.typePrefixes = spec.types?.length
      ? spec.types.map((type) => Buffer.from(`{"type":${JSON.stringify(type)}`))
      : undefined;
    this.includeGaps = spec.includeGaps ?? true;
  }

  get selective(): boolean {
    return this.tokens !== undefined || this.channelBytes !== undefined || this.typePrefixes !== undefined;
  }

  /** Wanted tokens, for checking the `tickers` of a gap record. */
  wantsTicker(ticker: string): boolean {
    return this.tokens === undefined || this.tokens.has(tickerToken(ticker));
  }

  /**
   * Classifies a line from its header alone. With few wanted tickers the last subject token is
   * compared first, straight from the end of the subject: most lines are dropped right there.
   */
  judge(buf: Buffer, header: LineHeader): LineVerdict {
    if (header.rt < this.fromUs || header.rt >= this.toUs) return "skip";
    const fewTokens = this.fewTokens;
    if (fewTokens && !endsWithToken(buf, header.subjectStart, header.subjectEnd, fewTokens)) {
      return this.includeGaps && isGapSubject(buf, header.subjectStart, header.subjectEnd) ? "gap" : "skip";
    }
    findSubjectDots(buf, header);
    const end = header.subjectEnd;
    const last = header.lastDot;
    const previous = header.secondDot;
    if (previous < 0) return "skip";
    if (tokenIs(buf, previous, last, STATUS_BYTES)) return this.judgeStatus(buf, last + 1, end);
    const before = header.thirdDot;
    if (before < 0 || !tokenIs(buf, before, previous, JSON_BYTES)) return "skip";
    if (this.channelBytes && !anyEquals(buf, previous + 1, last, this.channelBytes)) return "skip";
    if (this.tokens && !fewTokens && !this.tokens.has(buf.toString("latin1", last + 1, end))) {
      return "skip";
    }
    if (this.typePrefixes && !this.typePrefixes.some((p) => startsWith(buf, header.msgStart, p)))
      return "skip";
    return "data";
  }

  private judgeStatus(buf: Buffer, start: number, end: number): LineVerdict {
    const kind = buf.toString("latin1", start, end);
    if (kind === "gap" || kind === "disconnect") return this.includeGaps ? "gap" : "skip";
    return this.selective ? "skip" : "status";
  }
}

/** The subject buf[start, end) ends with '.' + one of the tokens. */
function endsWithToken(buf: Buffer, start: number, end: number, tokens: Buffer[]): boolean {
  for (const token of tokens) {
    const dot = end - token.length - 1;
    if (dot < start || buf[dot] !== DOT) continue;
    let i = token.length - 1;
    while (i >= 0 && buf[dot + 1 + i] === token[i]) i--;
    if (i < 0) return true;
  }
  return false;
}

/** `{prefix}.status.gap` or `{prefix}.status.disconnect`. */
function isGapSubject(buf: Buffer, start: number, end: number): boolean {
  for (const suffix of GAP_SUFFIXES) {
    const from = end - suffix.length;
    if (from < start) continue;
    let i = suffix.length - 1;
    while (i >= 0 && buf[from + i] === suffix[i]) i--;
    if (i < 0) return true;
  }
  return false;
}

/** buf between two dots (exclusive) equals `token`. */
function tokenIs(buf: Buffer, dotBefore: number, dotAfter: number, token: number[]): boolean {
  if (dotAfter - dotBefore - 1 !== token.length) return false;
  for (let i = 0; i < token.length; i++) if (buf[dotBefore + 1 + i] !== token[i]) return false;
  return true;
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > buf.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/** buf[start, end) equals one of the candidates. */
function anyEquals(buf: Buffer, start: number, end: number, candidates: Buffer[]): boolean {
  const length = end - start;
  for (const candidate of candidates) {
    if (candidate.length !== length) continue;
    let i = 0;
    while (i < length && buf[start + i] === candidate[i]) i++;
    if (i === length) return true;
  }
  return false;
}
