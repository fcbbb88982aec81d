/**
 * The hot path: one raw frame → one publish. The frame's bytes are checked to be one valid JSON
 * object (see isJsonObject), the header scan (core/kalshi/scan-frame.ts) finds type/sid/seq/ticker/trade_id
 * without building objects, and the frame's exact bytes are published to
 * `{prefix}.json.{channel}.{ticker}`. Sequenced frames go through the connection's
 * SeqTracker first (duplicates dropped, gaps/resets reported to the connection). Frames that do
 * not scan, have an unknown type or no ticker become dead letters on `{prefix}.status.dlq`.
 */
import type { Logger } from "../../adapters/log.js";
import { skipJsonValue } from "../../core/archive-line-check.js";
import { channelOfType, type FrameHeader, scanFrameHeader } from "../../core/kalshi/scan-frame.js";
import { deriveMsgId } from "../../core/msg-id.js";
import { HEADER_CONN, HEADER_RECV_US } from "../../core/record.js";
import type { SeqTracker, SeqVerdict } from "../../core/seq-tracker.js";
import { dataSubject, type SubjectChannel } from "../../core/subjects.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Publisher } from "./publisher.js";
import type { RecentIds } from "./recent-ids.js";
import type { StatusRecords } from "./status-records.js";

/** What the handler needs from the connection a frame arrived on. */
export interface FrameSource {
  conn: string;
  /** Frames received on this connection so far (the handler counts). */
  frames: number;
  tracker: SeqTracker;
  /** A forward gap or a reset on `sid` (the frame itself is still published). */
  onSeqBreak(sid: number, verdict: SeqVerdict, receivedUs: number): void;
  /** A lifecycle frame (market or event), after it was queued for publishing. */
  onLifecycle(type: string, ticker: string, text: string): void;
}

const REPLY_TYPES = new Set(["subscribed", "ok", "unsubscribed", "error", "list_subscriptions"]);

export class FrameHandler {
  private readonly subjects = new Map<SubjectChannel, Map<string, string>>();
  private readonly loggedKinds = new Set<string>();
  /** Receive time of the last frame, Unix µs (0 before the first). */
  lastFrameUs = 0;
  /** Frames handled (all kinds). */
  received = 0;

  constructor(
    private readonly prefix: string,
    private readonly publisher: Publisher,
    private readonly records: StatusRecords,
    private readonly metrics: ConnectorMetrics,
    private readonly recentTrades: RecentIds,
    private readonly logger: Logger,
  ) {}

  handle(source: FrameSource, data: Buffer, receivedUs: number): void {
    this.lastFrameUs = receivedUs;
    this.received += 1;
    source.frames += 1;
    const text = data.toString("utf8");
    const header = isJsonObject(data) ? scanFrameHeader(text) : undefined;
    if (header) this.metrics.counts.received(header.type);
    if (header && REPLY_TYPES.has(header.type)) {
      this.reply(source, header.sid, header.seq);
      return;
    }
    const channel = header ? channelOfType(header.type) : undefined;
    if (!header || !channel || !header.ticker) {
      this.deadLetter(source, rejection(header, channel), text, receivedUs);
      return;
    }
    if (this.isDuplicate(source, header, receivedUs)) return;
    this.publish(source, header, channel, header.ticker, data, receivedUs);
    if (channel === "lifecycle") source.onLifecycle(header.type, header.ticker, text);
  }

  /** Seq check: drops duplicates, reports gaps/resets (the frame itself is still published). */
  private isDuplicate(source: FrameSource, header: FrameHeader, receivedUs: number): boolean {
    const { sid, seq } = header;
    if (sid === undefined || seq === undefined) return false;
    const verdict = source.tracker.observe(sid, seq);
    if (verdict.kind === "duplicate") {
      this.metrics.counts.seqDuplicates += 1;
      return true;
    }
    if (verdict.kind === "gap" || verdict.kind === "reset") source.onSeqBreak(sid, verdict, receivedUs);
    return false;
  }

  private publish(
    source: FrameSource,
    header: FrameHeader,
    channel: SubjectChannel,
    ticker: string,
    data: Buffer,
    receivedUs: number,
  ): void {
    const { sid, seq, tradeId } = header;
    if (tradeId) this.recentTrades.add(tradeId);
    this.publisher.enqueue({
      subject: this.subjectOf(channel, ticker),
      data,
      msgId: deriveMsgId({
        tradeId,
        sid,
        seq,
        run: sid === undefined ? 0 : source.tracker.run(sid),
        conn: source.conn,
        frameNo: source.frames,
      }),
      headers: { [HEADER_RECV_US]: String(receivedUs), [HEADER_CONN]: source.conn },
      recvUs: receivedUs,
      ticker,
    });
  }

  /** ok/unsubscribed replies carry the sid's seq: advance it so the next frame is not a gap. */
  reply(source: FrameSource, sid: number | undefined, seq: number | undefined): void {
    if (sid === undefined || seq === undefined) return;
    const verdict = source.tracker.observe(sid, seq);
    if (verdict.kind === "gap" || verdict.kind === "reset") source.onSeqBreak(sid, verdict, this.lastFrameUs);
  }

  private subjectOf(channel: SubjectChannel, ticker: string): string {
    let byTicker = this.subjects.get(channel);
    if (!byTicker) {
      byTicker = new Map();
      this.subjects.set(channel, byTicker);
    }
    let subject = byTicker.get(ticker);
    if (subject === undefined) {
      subject = dataSubject(this.prefix, channel, ticker);
      if (byTicker.size > 100_000) byTicker.clear();
      byTicker.set(ticker, subject);
    }
    return subject;
  }

  private deadLetter(source: FrameSource, problem: Rejection, text: string, receivedUs: number): void {
    const { reason, error } = problem;
    this.metrics.deadLetter(reason);
    this.metrics.error(reason === "malformed" ? "malformed_frame" : reason);
    if (!this.loggedKinds.has(reason)) {
      this.loggedKinds.add(reason);
      this.logger.warn("frame sent to dead-letter subject", { reason, error, sample: text.slice(0, 500) });
    }
    this.publisher.enqueue(this.records.deadLetter(reason, error, text, source.conn, receivedUs));
  }
}

/**
 * The frame must be one valid JSON object: it is stored verbatim and every archive line embeds
 * it (`zcat | jq` must work). Checked on the bytes with the archiver's validating scanner
 * (core/archive-line-check.ts: full JSON grammar, nesting up to 64 levels) — ~0.45 µs for a
 * 250-byte frame and no allocation, where JSON.parse took ~1.4 µs and built a throwaway object
 * tree for the garbage collector. Trailing whitespace is allowed, as JSON.parse allowed it.
 */
function isJsonObject(data: Buffer): boolean {
  if (data[0] !== 123 /* { */) return false;
  let end = skipJsonValue(data, 0, 0);
  if (end < 0) return false;
  while (end < data.length && isJsonSpace(data[end]!)) end += 1;
  return end === data.length;
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

interface Rejection {
  reason: "malformed" | "unknown_type" | "missing_ticker";
  error: string;
}

function rejection(header: FrameHeader | undefined, channel: SubjectChannel | undefined): Rejection {
  if (!header) return { reason: "malformed", error: "not a JSON object with a string type" };
  if (!channel) return { reason: "unknown_type", error: `unknown type '${header.type}'` };
  return { reason: "missing_ticker", error: `${header.type} without a market or event ticker` };
}
