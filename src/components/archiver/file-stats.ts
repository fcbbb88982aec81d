/**
 * What the manifest needs to know about one file, accumulated line by line (live or when
 * scanning a salvaged file): records, records by channel, seq/rt range, tickers, gap records.
 */

import { isGapRecord } from "../../core/gap-records.js";
import type { ManifestFile, ManifestGap } from "../../core/manifest.js";
import { channelAndToken } from "../../core/subjects.js";

export interface SubjectParts {
  channel: string;
  token: string;
}

const partsCache = new Map<string, SubjectParts>();

/** Channel ("trade", "orderbook", "status"...) and ticker token of a subject, cached. */
export function subjectParts(subject: string): SubjectParts {
  let parts = partsCache.get(subject);
  if (parts) return parts;
  const data = channelAndToken(subject);
  if (data) parts = data;
  else if (subject.includes(".status.")) parts = { channel: "status", token: "" };
  else if (subject.includes(".secmaster.")) parts = { channel: "secmaster", token: "" };
  else parts = { channel: "other", token: "" };
  if (partsCache.size > 200_000) partsCache.clear();
  partsCache.set(subject, parts);
  return parts;
}

export class FileStats {
  records = 0;
  readonly byChannel: Record<string, number> = {};
  readonly tickers = new Set<string>();
  readonly gaps: ManifestGap[] = [];
  firstSeq = 0;
  lastSeq = 0;
  firstRt = 0;
  lastRt = 0;

  add(subject: string, seq: number, rt: number): void {
    const { channel, token } = subjectParts(subject);
    this.records++;
    this.byChannel[channel] = (this.byChannel[channel] ?? 0) + 1;
    if (token) this.tickers.add(token);
    if (seq > 0) {
      if (this.firstSeq === 0 || seq < this.firstSeq) this.firstSeq = seq;
      if (seq > this.lastSeq) this.lastSeq = seq;
    }
    if (this.firstRt === 0 || rt < this.firstRt) this.firstRt = rt;
    if (rt > this.lastRt) this.lastRt = rt;
  }

  addGap(gap: ManifestGap): void {
    this.gaps.push(gap);
  }

  toManifestFile(name: string, startMs: number, endMs: number, written: WrittenSummary): ManifestFile {
    return {
      name,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      records: this.records,
      records_by_channel: { ...this.byChannel },
      bytes_compressed: written.bytesCompressed,
      bytes_raw: written.bytesRaw,
      sha256: written.sha256,
      first_seq: this.firstSeq,
      last_seq: this.lastSeq,
      first_rt: this.firstRt,
      last_rt: this.lastRt,
    };
  }
}

export interface WrittenSummary {
  bytesCompressed: number;
  bytesRaw: number;
  sha256: string;
}

/** A connector gap/disconnect record (frame text) as a manifest gap, or undefined if it is not one. */
export function connectorGapOf(frame: string): ManifestGap | undefined {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return undefined;
  }
  if (!isGapRecord(value)) return undefined;
  return {
    type: value.type,
    reason: String(value.reason),
    source: value.reason === "stream_gap" ? "archiver" : "connector",
    sid: typeof value.sid === "number" ? value.sid : null,
    from_seq: typeof value.from_seq === "number" ? value.from_seq : null,
    to_seq: typeof value.to_seq === "number" ? value.to_seq : null,
    tickers: Array.isArray(value.tickers) ? value.tickers.map(String) : [],
    started_at: String(value.started_at ?? ""),
    ended_at: typeof value.ended_at === "string" ? value.ended_at : null,
    ...(typeof value.lost === "number" ? { lost: value.lost } : {}),
  };
}
