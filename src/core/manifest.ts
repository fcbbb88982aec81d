/**
 * The per-day archive manifest (contract: ARCHITECTURE.md §3), as a pure model: per-file entries,
 * per-day totals, gaps, status and quality. The archiver applies a delta each time it seals a
 * file; two copies of one day's manifest merge (files by name, sets by union, counters by max),
 * so a restart or a second writer never overwrites what is already recorded.
 */
import { DAY_MS, dayStartMs } from "./archive-paths.js";
import type { GapRecord } from "./gap-records.js";
import { type CoveredInterval, coveredMs, mergeIntervals } from "./manifest-coverage.js";
import { qualityOf } from "./manifest-quality.js";

export type DayStatus = "open" | "complete" | "partial";

export interface ManifestFile {
  name: string;
  /** Window start, ISO. */
  start: string;
  /** Window end when sealed by rotation; time of the last record when sealed early. ISO. */
  end: string;
  records: number;
  records_by_channel: Record<string, number>;
  bytes_compressed: number;
  bytes_raw: number;
  sha256: string;
  first_seq: number;
  last_seq: number;
  first_rt: number;
  last_rt: number;
  /** Recovered from a `.tmp` left by a crash (valid prefix only). */
  salvaged?: boolean;
  /**
   * The archiver's ledger epoch when the stream was deleted and recreated since archiving began
   * (seqs restart; absent for epoch 0): first_seq/last_seq belong to that incarnation.
   */
  stream_epoch?: number;
}

/** A gap record (gap-records.ts) as the manifest keeps it: without feed and connection, with its source. */
export interface ManifestGap extends Omit<GapRecord, "feed" | "conn"> {
  /** "connector": a record that travelled in the stream; "archiver": a stream sequence gap. */
  source: "connector" | "archiver";
}

export interface ManifestQuality {
  /** 0..1, see manifest-quality.ts. */
  score: number;
  /** Share of the UTC day the archiver covered, 0..1. */
  coverage: number;
  gaps: number;
  duplicates_dropped: number;
  parse_errors: number;
}

export interface DayManifest {
  version: 1;
  feed: string;
  date: string;
  status: DayStatus;
  quality: ManifestQuality;
  records: number;
  files: ManifestFile[];
  tickers: string[];
  channels: string[];
  gaps: ManifestGap[];
  duplicates_dropped: number;
  parse_errors: number;
  /** Time ranges (ISO pairs) during which the archiver was consuming this day's data. */
  covered: CoveredInterval[];
  updated_at: string;
}

/** What one seal (or one empty window) adds to a day. */
export interface ManifestDelta {
  file?: ManifestFile;
  tickers?: Iterable<string>;
  channels?: Iterable<string>;
  gaps?: ManifestGap[];
  duplicatesDropped?: number;
  parseErrors?: number;
  covered?: CoveredInterval[];
  /** The archiver moved past this day: status becomes complete or partial. */
  closeDay?: boolean;
}

export function emptyManifest(feed: string, date: string, nowIso: string): DayManifest {
  const manifest: DayManifest = {
    version: 1,
    feed,
    date,
    status: "open",
    quality: { score: 0, coverage: 0, gaps: 0, duplicates_dropped: 0, parse_errors: 0 },
    records: 0,
    files: [],
    tickers: [],
    channels: [],
    gaps: [],
    duplicates_dropped: 0,
    parse_errors: 0,
    covered: [],
    updated_at: nowIso,
  };
  return manifest;
}

export function applyDelta(manifest: DayManifest, delta: ManifestDelta, nowIso: string): DayManifest {
  const files = delta.file ? mergeFiles(manifest.files, [delta.file]) : manifest.files;
  const next: DayManifest = {
    ...manifest,
    files,
    tickers: union(manifest.tickers, delta.tickers ?? []),
    channels: union(manifest.channels, delta.channels ?? []),
    gaps: mergeGaps(manifest.gaps, delta.gaps ?? []),
    duplicates_dropped: manifest.duplicates_dropped + (delta.duplicatesDropped ?? 0),
    parse_errors: manifest.parse_errors + (delta.parseErrors ?? 0),
    covered: mergeIntervals([...manifest.covered, ...(delta.covered ?? [])]),
    status: delta.closeDay ? "partial" : manifest.status,
    updated_at: nowIso,
  };
  return finish(next);
}

/** Union of two copies of one day (e.g. the spool's and the bucket's). Never loses an entry. */
export function mergeManifests(a: DayManifest, b: DayManifest): DayManifest {
  const closed = a.status !== "open" || b.status !== "open";
  return finish({
    ...a,
    files: mergeFiles(a.files, b.files),
    tickers: union(a.tickers, b.tickers),
    channels: union(a.channels, b.channels),
    gaps: mergeGaps(a.gaps, b.gaps),
    duplicates_dropped: Math.max(a.duplicates_dropped, b.duplicates_dropped),
    parse_errors: Math.max(a.parse_errors, b.parse_errors),
    covered: mergeIntervals([...a.covered, ...b.covered]),
    status: closed ? "partial" : "open",
    updated_at: [a.updated_at, b.updated_at].sort()[1] ?? a.updated_at,
  });
}

/** Recomputes totals, quality and (for a closed day) complete vs partial. */
function finish(manifest: DayManifest): DayManifest {
  const records = manifest.files.reduce((sum, file) => sum + file.records, 0);
  const coverage = coveredMs(manifest.covered, dayStartMs(manifest.date), DAY_MS) / DAY_MS;
  const quality = qualityOf({
    coverage,
    records,
    gaps: manifest.gaps.length,
    duplicates: manifest.duplicates_dropped,
    parseErrors: manifest.parse_errors,
  });
  let status = manifest.status;
  if (status !== "open")
    status = quality.score >= 0.999 && manifest.gaps.length === 0 ? "complete" : "partial";
  return { ...manifest, records, quality, status };
}

function mergeFiles(a: ManifestFile[], b: ManifestFile[]): ManifestFile[] {
  const byName = new Map<string, ManifestFile>();
  for (const file of [...a, ...b]) if (!byName.has(file.name)) byName.set(file.name, file);
  return [...byName.values()].sort((x, y) => x.first_seq - y.first_seq || x.name.localeCompare(y.name));
}

function gapKey(gap: ManifestGap): string {
  return [gap.type, gap.reason, gap.source, gap.sid, gap.from_seq, gap.to_seq, gap.started_at].join("|");
}

function mergeGaps(a: ManifestGap[], b: ManifestGap[]): ManifestGap[] {
  const byKey = new Map<string, ManifestGap>();
  for (const gap of [...a, ...b]) if (!byKey.has(gapKey(gap))) byKey.set(gapKey(gap), gap);
  return [...byKey.values()].sort((x, y) => x.started_at.localeCompare(y.started_at));
}

function union(a: Iterable<string>, b: Iterable<string>): string[] {
  return [...new Set([...a, ...b])].sort();
}
