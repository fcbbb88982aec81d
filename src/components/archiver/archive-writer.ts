/**
 * Message → archive file. Picks the rotation window from the receive time, drops redeliveries
 * (stream seq already archived) and duplicates (Nats-Msg-Id seen this day), records stream
 * sequence gaps and the connector's gap records, and acks only after the data is fsynced.
 * Not re-entrant: the archiver serializes calls (one message, flush or seal at a time).
 */

import type { Bus, BusMessage } from "../../adapters/bus/types.js";
import { archiveLineTail, encodeArchiveLine, encodeRawFrameLine } from "../../core/archive-line.js";
import { frameProblem, looksLikeGapRecordBytes } from "../../core/archive-line-check.js";
import { type RotationWindow, windowAt } from "../../core/archive-paths.js";
import type { ManifestGap } from "../../core/manifest.js";
import { HEADER_MSG_ID, HEADER_RECV_US } from "../../core/record.js";
import type { ArchiverConfig } from "./config.js";
import type { DayDedupe } from "./dedupe.js";
import { DurableAcks } from "./durable-acks.js";
import { connectorGapOf, subjectParts } from "./file-stats.js";
import type { ArchiverMetrics } from "./metrics.js";
import { type OpenFile, openWindowFile } from "./open-file.js";
import type { SealService } from "./seal.js";
import type { SeqLedger } from "./seq-ledger.js";
import { agedOutUntil, streamGapRecord } from "./stream-gap.js";

const decoder = new TextDecoder();
const MAX_CACHED_SUBJECTS = 100_000;

export interface WriterCounters {
  messages: number;
  duplicates: number;
  redeliveries: number;
  gaps: number;
  parseErrors: number;
}

export class ArchiveWriter {
  readonly counters: WriterCounters = {
    messages: 0,
    duplicates: 0,
    redeliveries: 0,
    gaps: 0,
    parseErrors: 0,
  };
  private open: OpenFile | undefined;
  private readonly acks: DurableAcks;
  private lastWindow: RotationWindow | undefined;
  private readonly openDays = new Set<string>();
  private lastSealedEnd = 0;
  private unreported: Record<string, number> = {};
  private readonly tails = new Map<string, Uint8Array>();

  constructor(
    private readonly config: ArchiverConfig,
    private readonly dedupe: DayDedupe,
    private readonly sealer: SealService,
    private readonly metrics: ArchiverMetrics,
    private readonly clock: () => number,
    private readonly ledger: SeqLedger,
    private readonly bus: Bus,
    /** False when the consumer filter is narrower than the stream: seq jumps are then normal. */
    private detectStreamGaps = true,
  ) {
    this.acks = new DurableAcks(ledger, clock, config.fsyncMessages, () => this.reportAcked());
  }

  /** Whether seq jumps are stream gaps (the filter covers the whole stream). */
  setCoversStream(covers: boolean): void {
    this.detectStreamGaps = covers;
  }

  /** Days left `open` by an earlier run: closed when this run first writes a later day. */
  rememberOpenDays(days: string[]): void {
    for (const day of days) this.openDays.add(day);
  }

  get highestSeq(): number {
    return this.ledger.highest;
  }

  get openFileName(): string | undefined {
    return this.open ? `${this.open.window.date}/${this.open.name}` : undefined;
  }

  /** Handles one message; returns a promise only when it had to rotate or flush. */
  handle(msg: BusMessage): Promise<void> | undefined {
    this.acks.throwIfFailed();
    if (this.ledger.has(msg.seq)) {
      this.counters.redeliveries++;
      this.metrics.redeliveries.inc({ feed: this.config.feed });
      return this.owe(msg);
    }
    const rt = receiveUs(msg);
    let window = this.windowOf(Math.floor(rt / 1000));
    if (!this.open && window.startMs < this.lastSealedEnd)
      window = windowAt(this.lastSealedEnd, this.config.rotationMs);
    if (!this.open || window.startMs > this.open.window.startMs)
      return this.rotateThenWrite(msg, rt, window.startMs);
    const highest = this.ledger.highest;
    if (this.detectStreamGaps && highest > 0 && msg.seq > highest + 1)
      return this.checkGapThenWrite(msg, rt, highest);
    this.write(this.open, msg, rt);
    return this.owe(msg);
  }

  /** Time-driven work: fsync after the interval, seal a window that ended while caught up. */
  tick(caughtUp: boolean): Promise<void> | undefined {
    const now = this.clock();
    if (this.open && caughtUp && now >= this.open.window.endMs + this.config.sealGraceMs) {
      return this.sealOpen(true);
    }
    if (this.acks.due(this.config.fsyncIntervalMs)) return this.flush();
    return undefined;
  }

  /** Makes everything written durable, then acks. */
  flush(): Promise<void> {
    return this.acks.flush(this.syncOpen());
  }

  /** Seals the open file (stop, rotation), then acks everything owed. */
  async sealOpen(byRotation: boolean): Promise<void> {
    await this.acks.settle();
    const open = this.open;
    this.open = undefined;
    if (open) await this.sealer.seal(open, byRotation, () => this.ledger.persist());
    else await this.ledger.persist();
    if (open) this.lastSealedEnd = open.window.endMs;
    this.acks.ackNow();
  }

  /** Leaves the `.tmp` for the next start's salvage (used when a write failed). */
  async abandon(): Promise<void> {
    await this.open?.writer.abandon();
    this.open = undefined;
  }

  private async rotateThenWrite(msg: BusMessage, rt: number, startMs: number): Promise<void> {
    const previous = this.open;
    if (previous) await this.sealOpen(startMs >= previous.window.endMs);
    const window = windowAt(startMs, this.config.rotationMs);
    if (previous && previous.window.date !== window.date) this.openDays.add(previous.window.date);
    for (const day of [...this.openDays].filter((d) => d < window.date).sort()) {
      this.openDays.delete(day);
      await this.sealer.closeDay(day);
    }
    await this.dedupe.load(window.date);
    this.open = await openWindowFile(
      this.config.workDir,
      this.config.feed,
      window,
      this.config.compressionLevel,
      this.ledger.identity.epoch,
    );
    const highest = this.ledger.highest;
    if (this.detectStreamGaps && highest > 0 && msg.seq > highest + 1)
      return this.checkGapThenWrite(msg, rt, highest);
    this.write(this.open, msg, rt);
    await this.owe(msg);
  }

  private async checkGapThenWrite(msg: BusMessage, rt: number, highest: number): Promise<void> {
    const open = this.open!;
    const lost = await agedOutUntil(this.bus, this.config.stream, highest + 1, msg.seq);
    if (lost !== undefined) {
      this.writeStreamGap(open, highest + 1, lost, rt);
      this.ledger.add(highest + 1, lost);
    }
    this.write(open, msg, rt);
    await this.owe(msg);
  }

  private write(open: OpenFile, msg: BusMessage, rt: number): void {
    this.ledger.add(msg.seq);
    const id = msg.header(HEADER_MSG_ID);
    if (id !== undefined && this.dedupe.seen(open.window.date, id)) {
      open.duplicates++;
      this.counters.duplicates++;
      this.metrics.duplicates.inc({ feed: this.config.feed });
      return;
    }
    const problem = frameProblem(msg.data, this.config.strictFrames);
    if (problem) {
      open.parseErrors++;
      this.counters.parseErrors++;
      this.metrics.parseErrors.inc({ feed: this.config.feed, problem });
      open.writer.append(encodeRawFrameLine(rt, msg.seq, msg.subject, decoder.decode(msg.data)));
    } else {
      open.writer.appendLine(rt, msg.seq, this.tailOf(msg.subject), msg.data);
      if (looksLikeGapRecordBytes(msg.data)) this.noteGap(open, connectorGapOf(decoder.decode(msg.data)));
    }
    open.stats.add(msg.subject, msg.seq, rt);
    if (id !== undefined) open.ids.push(id);
    this.counters.messages++;
    const channel = subjectParts(msg.subject).channel;
    this.unreported[channel] = (this.unreported[channel] ?? 0) + 1;
  }

  private writeStreamGap(open: OpenFile, fromSeq: number, toSeq: number, rt: number): void {
    const record = streamGapRecord(this.config.feed, fromSeq, toSeq, open.stats.lastRt || rt, rt);
    const frame = JSON.stringify(record);
    open.writer.append(encodeArchiveLine(rt, 0, `${this.config.subjectPrefix}.status.gap`, frame));
    open.stats.add(`${this.config.subjectPrefix}.status.gap`, 0, rt);
    this.noteGap(open, connectorGapOf(frame));
  }

  private noteGap(open: OpenFile, gap: ManifestGap | undefined): void {
    if (!gap) return;
    open.gaps.push(gap);
    this.counters.gaps++;
    this.metrics.gaps.inc({ feed: this.config.feed, source: gap.source });
  }

  private owe(msg: BusMessage): Promise<void> | undefined {
    return this.acks.add(msg, this.syncOpen());
  }

  private syncOpen(): (() => Promise<void>) | undefined {
    const writer = this.open?.writer;
    return writer ? () => writer.sync() : undefined;
  }

  /** `,"subject":"…","msg":` as bytes, cached per subject (bounded). */
  private tailOf(subject: string): Uint8Array {
    let tail = this.tails.get(subject);
    if (tail) return tail;
    if (this.tails.size >= MAX_CACHED_SUBJECTS) this.tails.clear();
    tail = Buffer.from(archiveLineTail(subject));
    this.tails.set(subject, tail);
    return tail;
  }

  /** The rotation window of a time; the previous one is reused while it still applies. */
  private windowOf(ms: number): RotationWindow {
    const last = this.lastWindow;
    if (last && ms >= last.startMs && ms < last.endMs) return last;
    this.lastWindow = windowAt(ms, this.config.rotationMs);
    return this.lastWindow;
  }

  private reportAcked(): void {
    for (const [channel, count] of Object.entries(this.unreported)) {
      this.metrics.messages.inc({ feed: this.config.feed, channel }, count);
    }
    this.unreported = {};
    this.metrics.lastFlushSeconds.set({ feed: this.config.feed }, this.clock() / 1000);
  }
}

/** Receive time: the connector's Ssmd-Recv-Us header, else the stream's timestamp. */
export function receiveUs(msg: BusMessage): number {
  const header = msg.header(HEADER_RECV_US);
  const value = header === undefined ? Number.NaN : Number(header);
  return Number.isSafeInteger(value) && value > 0 ? value : Math.floor(msg.timestampMs * 1000);
}
