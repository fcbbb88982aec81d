/**
 * Stream sequence gaps. A jump in stream sequence is a gap only when the skipped messages are
 * gone from the stream (aged out or deleted); if they are still there they are merely in flight
 * (e.g. unacked by a killed instance) and will be redelivered. Age-out removes from the front,
 * so the end of the missing range is found by binary search.
 */
import type { Bus } from "../../adapters/bus/types.js";
import { type GapRecord, usToIso } from "../../core/gap-records.js";

/** The last seq of the range [from, before) that is gone from the stream, or undefined if `from` is present. */
export async function agedOutUntil(
  bus: Bus,
  stream: string,
  from: number,
  before: number,
): Promise<number | undefined> {
  const present = async (seq: number) => (await bus.getMessage(stream, seq)) !== undefined;
  if (await present(from)) return undefined;
  let low = from;
  let high = before - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (await present(mid)) high = mid - 1;
    else low = mid;
  }
  return low;
}

/** The record the archiver writes for a stream gap (subject {prefix}.status.gap, seq 0). */
export function streamGapRecord(
  feed: string,
  fromSeq: number,
  toSeq: number,
  startedUs: number,
  endedUs: number,
): GapRecord {
  return {
    type: "ssmd_gap",
    reason: "stream_gap",
    feed,
    sid: null,
    from_seq: fromSeq,
    to_seq: toSeq,
    tickers: [],
    started_at: usToIso(startedUs),
    ended_at: usToIso(endedUs),
    lost: toSeq - fromSeq + 1,
  };
}
