/**
 * Replays archived records into a sink with the original timing (scaled) or as fast as
 * possible. The records are exactly what the archive reader yields — the live record shape —
 * so whatever consumes a replay cannot tell it from live data.
 */
import { type ArchiveQuery, readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { looksLikeGapRecord } from "../../core/gap-records.js";
import type { StreamRecord } from "../../core/record.js";
import { type Clock, Pacer, type ReplaySpeed, systemClock } from "./replay-pacer.js";

export interface ReplaySink {
  /** Resolves when the sink can take more (backpressure). */
  write(record: StreamRecord): Promise<void> | void;
  /** Flushes what is pending. */
  close(): Promise<void>;
  /** True once the destination is gone (e.g. a closed pipe): the replay stops. */
  isClosed?(): boolean;
}

export interface ReplayOptions {
  store: ObjectStore;
  query: ArchiveQuery;
  speed: ReplaySpeed;
  sink: ReplaySink;
  clock?: Clock;
  /** Stops the replay early (SIGTERM). */
  signal?: AbortSignal;
  onRecord?: (count: number, record: StreamRecord) => void;
}

export interface ReplayResult {
  records: number;
  gaps: number;
  firstRt: number | null;
  lastRt: number | null;
  aborted: boolean;
}

export async function runReplay(options: ReplayOptions): Promise<ReplayResult> {
  const pacer = new Pacer(options.speed, options.clock ?? systemClock);
  const reader = readArchive(options.store, options.query);
  const result: ReplayResult = { records: 0, gaps: 0, firstRt: null, lastRt: null, aborted: false };
  const stop = () => void reader.close();
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    for await (const record of reader) {
      if (options.signal?.aborted) break;
      await pacer.wait(record.rt);
      await options.sink.write(record);
      if (options.sink.isClosed?.()) break;
      result.records++;
      if (looksLikeGapRecord(record.msg)) result.gaps++;
      result.firstRt ??= record.rt;
      result.lastRt = record.rt;
      options.onRecord?.(result.records, record);
    }
  } finally {
    options.signal?.removeEventListener("abort", stop);
    await reader.close();
    await options.sink.close();
  }
  result.aborted = options.signal?.aborted ?? false;
  return result;
}
