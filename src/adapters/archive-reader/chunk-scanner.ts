/**
 * Applies a RecordFilter to the lines of one whole-line chunk and collects what is kept, either
 * as StreamRecords (decoded) or as raw line bytes (for NDJSON streaming without re-encoding).
 */
import { isGapRecord } from "../../core/gap-records.js";
import type { StreamRecord } from "../../core/record.js";
import {
  createLineHeader,
  formatArchiveLine,
  type LineHeader,
  parseLineSlow,
  readLineHeader,
} from "./line-header.js";
import type { RecordFilter } from "./record-filter.js";

export interface ScanStats {
  lines: number;
  kept: number;
  gaps: number;
  badLines: number;
  rawBytes: number;
}

export function emptyScanStats(): ScanStats {
  return { lines: 0, kept: 0, gaps: 0, badLines: 0, rawBytes: 0 };
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

export type BadLineHandler = (lineText: string) => void;

export class ChunkScanner {
  private readonly header = createLineHeader();

  constructor(
    private readonly filter: RecordFilter,
    readonly stats: ScanStats,
    private readonly onBadLine: BadLineHandler = () => {},
  ) {}

  /** Kept records of the chunk, decoded. */
  records(buf: Buffer, out: StreamRecord[]): void {
    this.scan(buf, (line, _start, _end, header) => {
      out.push({
        rt: header.rt,
        seq: header.seq,
        subject: line.toString("utf8", header.subjectStart, header.subjectEnd),
        msg: line.toString("utf8", header.msgStart, header.msgEnd),
      });
    });
  }

  /**
   * Kept lines of the chunk as raw bytes ending with '\n', pushed to `out`; returns how many
   * lines were kept. Kept lines that follow each other in the chunk go out as one view (an
   * unfiltered read passes a whole chunk as one Buffer, no copy and no object per line).
   */
  rawLines(buf: Buffer, out: Buffer[]): number {
    let kept = 0;
    let runStart = 0;
    let runEnd = 0;
    this.scan(buf, (line, start, end) => {
      kept++;
      if (line === buf && buf[end] === NEWLINE) {
        if (start !== runEnd) {
          if (runEnd > runStart) out.push(buf.subarray(runStart, runEnd));
          runStart = start;
        }
        runEnd = end + 1;
        return;
      }
      if (runEnd > runStart) out.push(buf.subarray(runStart, runEnd));
      runStart = runEnd = 0;
      out.push(withNewline(line, start, end));
    });
    if (runEnd > runStart) out.push(buf.subarray(runStart, runEnd));
    return kept;
  }

  /** One pass over the chunk's lines (no callback per line: only kept lines reach `keep`). */
  private scan(
    buf: Buffer,
    keep: (line: Buffer, start: number, end: number, header: LineHeader) => void,
  ): void {
    const length = buf.length;
    this.stats.rawBytes += length;
    let start = 0;
    while (start < length) {
      let newline = buf.indexOf(NEWLINE, start);
      const torn = newline < 0;
      if (torn) newline = length;
      let end = newline;
      if (end > start && buf[end - 1] === CARRIAGE_RETURN) end--;
      if (end > start && (!torn || this.isWholeRecord(buf, start, end))) this.scanLine(buf, start, end, keep);
      start = newline + 1;
    }
  }

  private scanLine(
    buf: Buffer,
    start: number,
    end: number,
    keep: (line: Buffer, start: number, end: number, header: LineHeader) => void,
  ): void {
    const header = this.header;
    this.stats.lines++;
    let line = buf;
    let lineStart = start;
    let lineEnd = end;
    if (!readLineHeader(buf, start, end, header)) {
      const canonical = this.canonicalize(buf, start, end);
      if (!canonical) return;
      line = canonical;
      lineStart = 0;
      lineEnd = canonical.length;
      readLineHeader(line, 0, lineEnd, header);
    }
    const verdict = this.filter.judge(line, header);
    if (verdict === "skip" || (verdict === "gap" && !this.wantsGap(line, header))) return;
    if (verdict === "gap") this.stats.gaps++;
    this.stats.kept++;
    keep(line, lineStart, lineEnd, header);
  }

  /**
   * A last line without '\n' (a torn write salvaged at the end of a file) may stop right after
   * some '}' inside `msg`, which the byte scan would accept: it is JSON.parsed first (once a file).
   */
  private isWholeRecord(buf: Buffer, start: number, end: number): boolean {
    const text = buf.toString("utf8", start, end);
    if (parseLineSlow(text)) return true;
    this.stats.lines++;
    this.stats.badLines++;
    this.onBadLine(text);
    return false;
  }

  /** A line in a foreign layout, re-encoded canonically; undefined (and counted) if unusable. */
  private canonicalize(buf: Buffer, start: number, end: number): Buffer | undefined {
    const text = buf.toString("utf8", start, end);
    const record = parseLineSlow(text);
    if (!record) {
      this.stats.badLines++;
      this.onBadLine(text);
      return undefined;
    }
    return Buffer.from(formatArchiveLine(record));
  }

  private wantsGap(line: Buffer, header: LineHeader): boolean {
    let value: unknown;
    try {
      value = JSON.parse(line.toString("utf8", header.msgStart, header.msgEnd));
    } catch {
      return true;
    }
    if (!isGapRecord(value) || !Array.isArray(value.tickers) || value.tickers.length === 0) return true;
    return value.tickers.some((ticker) => typeof ticker === "string" && this.filter.wantsTicker(ticker));
  }
}

function withNewline(line: Buffer, start: number, end: number): Buffer {
  const copy = Buffer.allocUnsafe(end - start + 1);
  line.copy(copy, 0, start, end);
  copy[end - start] = 10;
  return copy;
}
