/**
 * Reads of one archived day for the data API and CLI: tickers with counts per channel and
 * samples. All go through the one archive reader.
 */
import { type ReaderHooks, readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import type { StreamRecord } from "../../core/record.js";
import { channelAndToken, type SubjectChannel } from "../../core/subjects.js";

export interface TickerCount {
  /** Subject token: the Kalshi ticker with '.' written as '_'. */
  ticker: string;
  records: number;
  channels: Partial<Record<SubjectChannel, number>>;
  first_rt: number;
  last_rt: number;
}

export type ProgressHook = (doneFiles: number, totalFiles: number) => void;

export function progressHooks(progress?: ProgressHook): ReaderHooks {
  return progress ? { onFile: (_file, index, total) => progress(index, total) } : {};
}

export async function dayTickers(
  store: ObjectStore,
  feed: string,
  date: string,
  progress?: ProgressHook,
): Promise<TickerCount[]> {
  const byToken = new Map<string, TickerCount>();
  const reader = readArchive(
    store,
    { feed, fromDate: date, toDate: date, includeGaps: false },
    progressHooks(progress),
  );
  for await (const record of reader) {
    const parts = channelAndToken(record.subject);
    if (!parts) continue;
    let entry = byToken.get(parts.token);
    if (!entry) {
      entry = { ticker: parts.token, records: 0, channels: {}, first_rt: record.rt, last_rt: record.rt };
      byToken.set(parts.token, entry);
    }
    const channel = parts.channel as SubjectChannel;
    entry.records++;
    entry.channels[channel] = (entry.channels[channel] ?? 0) + 1;
    if (record.rt < entry.first_rt) entry.first_rt = record.rt;
    if (record.rt > entry.last_rt) entry.last_rt = record.rt;
  }
  return [...byToken.values()].sort((a, b) => b.records - a.records || a.ticker.localeCompare(b.ticker));
}

export interface SampleQuery {
  tickers?: string[];
  channels?: SubjectChannel[];
  types?: string[];
  fromUs?: number;
  toUs?: number;
  limit: number;
}

/** A record with its frame decoded, for JSON answers. */
export interface DecodedRecord {
  rt: number;
  seq: number;
  subject: string;
  msg: unknown;
}

export function decodeRecord(record: StreamRecord): DecodedRecord {
  let msg: unknown;
  try {
    msg = JSON.parse(record.msg);
  } catch {
    msg = record.msg;
  }
  return { rt: record.rt, seq: record.seq, subject: record.subject, msg };
}

/** The first `limit` matching records of the day (gap records included when they match). */
export async function daySample(
  store: ObjectStore,
  feed: string,
  date: string,
  query: SampleQuery,
): Promise<DecodedRecord[]> {
  const out: DecodedRecord[] = [];
  const reader = readArchive(store, { feed, fromDate: date, toDate: date, ...query });
  try {
    for await (const record of reader) {
      out.push(decodeRecord(record));
      if (out.length >= query.limit) break;
    }
  } finally {
    await reader.close();
  }
  return out;
}
