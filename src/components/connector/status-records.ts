/**
 * Builds the connector's status records (contract §3): ssmd_gap / ssmd_disconnect to
 * `{prefix}.status.gap|disconnect`, and dead letters (malformed/unknown frames) to
 * `{prefix}.status.dlq`. Each gets its own Nats-Msg-Id (`g:{instance}:{n}`, numbered per process) and the usual headers.
 */
import { type GapReason, type GapRecord, usToIso } from "../../core/gap-records.js";
import { statusMsgId } from "../../core/msg-id.js";
import { HEADER_CONN, HEADER_RECV_US } from "../../core/record.js";
import type { SeqVerdict } from "../../core/seq-tracker.js";
import { statusSubject } from "../../core/subjects.js";
import type { Outbound } from "./publisher-types.js";

const encoder = new TextEncoder();

export interface GapInput {
  type: GapRecord["type"];
  reason: GapReason;
  conn: string;
  sid: number | null;
  fromSeq: number | null;
  toSeq: number | null;
  tickers: string[];
  startedUs: number;
  endedUs: number | null;
  lost?: number;
}

/** Dead letter: the frame text travels as a JSON string, so the record is always valid JSON. */
export interface DeadLetter {
  type: "ssmd_dlq";
  reason: string;
  error: string;
  feed: string;
  conn: string;
  received_at: string;
  frame: string;
}

export class StatusRecords {
  private counter = 0;

  constructor(
    private readonly prefix: string,
    private readonly feed: string,
    private readonly instance: string,
  ) {}

  gap(input: GapInput, nowUs: number): Outbound {
    const record: GapRecord = {
      type: input.type,
      reason: input.reason,
      feed: this.feed,
      conn: input.conn,
      sid: input.sid,
      from_seq: input.fromSeq,
      to_seq: input.toSeq,
      tickers: input.tickers,
      started_at: usToIso(input.startedUs),
      ended_at: input.endedUs === null ? null : usToIso(input.endedUs),
      ...(input.lost === undefined ? {} : { lost: input.lost }),
    };
    const kind = input.type === "ssmd_gap" ? "gap" : "disconnect";
    return this.outbound(statusSubject(this.prefix, kind), JSON.stringify(record), input.conn, nowUs);
  }

  /** ssmd_gap for a seq gap (missing range) or reset (range unknown) on one subscription. */
  seqGap(conn: string, sid: number, verdict: SeqVerdict, tickers: string[], receivedUs: number): Outbound {
    const gap = verdict.kind === "gap" ? verdict : undefined;
    return this.gap(
      {
        type: "ssmd_gap",
        reason: gap ? "seq_gap" : "seq_reset",
        conn,
        sid,
        fromSeq: gap ? gap.fromSeq : null,
        toSeq: gap ? gap.toSeq : null,
        tickers,
        startedUs: receivedUs,
        endedUs: receivedUs,
      },
      receivedUs,
    );
  }

  deadLetter(reason: string, error: string, frame: string, conn: string, receivedUs: number): Outbound {
    const record: DeadLetter = {
      type: "ssmd_dlq",
      reason,
      error,
      feed: this.feed,
      conn,
      received_at: usToIso(receivedUs),
      frame,
    };
    return this.outbound(statusSubject(this.prefix, "dlq"), JSON.stringify(record), conn, receivedUs);
  }

  private outbound(subject: string, text: string, conn: string, recvUs: number): Outbound {
    this.counter += 1;
    return {
      subject,
      data: encoder.encode(text),
      msgId: statusMsgId(this.instance, this.counter),
      headers: { [HEADER_RECV_US]: String(recvUs), [HEADER_CONN]: conn },
      recvUs,
    };
  }
}
