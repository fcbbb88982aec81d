/**
 * Quality of one archived day, measured from the data itself: duplicates, out-of-order records,
 * parse errors, per-subscription sequence gaps, crossed books and time coverage. Deterministic:
 * nothing reads the wall clock. Books reset on gap/disconnect records, like every consumer's.
 */
import { readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import type { DayManifest } from "../../core/manifest.js";
import { qualityOf } from "../../core/manifest-quality.js";
import { OrderBook } from "../../core/orderbook.js";
import { type ProgressHook, progressHooks } from "./day-scan.js";

export interface DayQuality {
  feed: string;
  date: string;
  records: number;
  duplicates: number;
  duplicate_stream_seqs: number;
  out_of_order: number;
  parse_errors: number;
  bad_lines: number;
  corrupt_files: string[];
  sequence_gaps: number;
  missing_messages: number;
  gap_records: number;
  crossed_books: number;
  deltas_without_snapshot: number;
  coverage: number;
  first_rt: number | null;
  last_rt: number | null;
  score: number;
}

const DAY_US = 86_400_000_000;

class QualityTally {
  records = 0;
  duplicates = 0;
  duplicateStreamSeqs = 0;
  outOfOrder = 0;
  parseErrors = 0;
  sequenceGaps = 0;
  missing = 0;
  gapRecords = 0;
  crossed = 0;
  deltasWithoutSnapshot = 0;
  firstRt: number | null = null;
  lastRt: number | null = null;
  private lastStreamSeq = 0;
  private epoch = 0;
  private readonly streamSeqs = new Set<number>();
  private readonly messageKeys = new Set<string>();
  private readonly lastSeqBySid = new Map<number, number>();
  private readonly books = new Map<string, OrderBook>();
  private readonly crossedNow = new Set<string>();

  line(rt: number, streamSeq: number): void {
    this.records++;
    if (this.firstRt === null || rt < this.firstRt) this.firstRt = rt;
    if (this.lastRt === null || rt > this.lastRt) this.lastRt = rt;
    if (streamSeq > 0) {
      if (this.streamSeqs.has(streamSeq)) this.duplicateStreamSeqs++;
      else this.streamSeqs.add(streamSeq);
      if (streamSeq < this.lastStreamSeq) this.outOfOrder++;
      this.lastStreamSeq = Math.max(this.lastStreamSeq, streamSeq);
    }
  }

  /** A gap/disconnect record: sids restart, books are no longer trustworthy. */
  gap(): void {
    this.gapRecords++;
    this.epoch++;
    this.lastSeqBySid.clear();
    for (const book of this.books.values()) book.reset();
    this.crossedNow.clear();
  }

  message(message: KalshiMessage): void {
    const key = message.kind === "trade" ? `t:${message.tradeId}` : this.sequencedKey(message);
    if (key !== undefined) {
      if (this.messageKeys.has(key)) {
        this.duplicates++;
        return;
      }
      this.messageKeys.add(key);
    }
    this.trackSeq(message);
    if (message.kind === "orderbook_snapshot" || message.kind === "orderbook_delta") this.trackBook(message);
  }

  private sequencedKey(message: KalshiMessage): string | undefined {
    if (message.sid === undefined || message.seq === undefined) return undefined;
    return `s:${this.epoch}:${message.sid}:${message.seq}`;
  }

  private trackSeq(message: KalshiMessage): void {
    const { sid, seq } = message;
    if (sid === undefined || seq === undefined) return;
    const last = this.lastSeqBySid.get(sid);
    if (last !== undefined && seq > last + 1) {
      this.sequenceGaps++;
      this.missing += seq - last - 1;
    }
    if (last === undefined || seq > last || seq === 1) this.lastSeqBySid.set(sid, seq);
  }

  private trackBook(
    message: Extract<KalshiMessage, { kind: "orderbook_snapshot" | "orderbook_delta" }>,
  ): void {
    let book = this.books.get(message.ticker);
    if (!book) {
      book = new OrderBook(message.ticker);
      this.books.set(message.ticker, book);
    }
    try {
      if (message.kind === "orderbook_snapshot") book.applySnapshot(message);
      else if (!book.applyDelta(message)) this.deltasWithoutSnapshot++;
    } catch {
      this.parseErrors++;
      return;
    }
    const crossed = book.hasSnapshot && book.isCrossed();
    if (crossed && !this.crossedNow.has(message.ticker)) this.crossed++;
    if (crossed) this.crossedNow.add(message.ticker);
    else this.crossedNow.delete(message.ticker);
  }
}

export async function dayQuality(
  store: ObjectStore,
  feed: string,
  date: string,
  manifest: DayManifest | undefined,
  progress?: ProgressHook,
): Promise<DayQuality> {
  const tally = new QualityTally();
  const reader = readArchive(store, { feed, fromDate: date, toDate: date }, progressHooks(progress));
  for await (const record of reader) {
    tally.line(record.rt, record.seq);
    if (record.subject.includes(".status.")) {
      if (record.msg.includes('"ssmd_gap"') || record.msg.includes('"ssmd_disconnect"')) tally.gap();
      continue;
    }
    const parsed = parseFrame(record.msg);
    if (parsed.ok) tally.message(parsed.message);
    else tally.parseErrors++;
  }
  return summarize(tally, feed, date, manifest, reader.stats);
}

function summarize(
  tally: QualityTally,
  feed: string,
  date: string,
  manifest: DayManifest | undefined,
  stats: { badLines: number; corruptFiles: string[] },
): DayQuality {
  const span = tally.firstRt !== null && tally.lastRt !== null ? tally.lastRt - tally.firstRt : 0;
  const coverage = manifest ? manifest.quality.coverage : Math.min(1, span / DAY_US);
  const parseErrors = tally.parseErrors + stats.badLines;
  const score = qualityOf({
    coverage,
    records: tally.records,
    gaps: tally.sequenceGaps + tally.gapRecords,
    duplicates: tally.duplicates,
    parseErrors,
  }).score;
  return {
    feed,
    date,
    records: tally.records,
    duplicates: tally.duplicates,
    duplicate_stream_seqs: tally.duplicateStreamSeqs,
    out_of_order: tally.outOfOrder,
    parse_errors: parseErrors,
    bad_lines: stats.badLines,
    corrupt_files: stats.corruptFiles,
    sequence_gaps: tally.sequenceGaps,
    missing_messages: tally.missing,
    gap_records: tally.gapRecords,
    crossed_books: tally.crossed,
    deltas_without_snapshot: tally.deltasWithoutSnapshot,
    coverage,
    first_rt: tally.firstRt,
    last_rt: tally.lastRt,
    score,
  };
}
