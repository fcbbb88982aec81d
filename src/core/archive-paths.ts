/**
 * Archive naming (contract: ARCHITECTURE.md §3): {feed}/{YYYY-MM-DD}/{HHMM}.jsonl.gz, UTC,
 * HHMM = start of the rotation window; {feed}/{YYYY-MM-DD}/manifest.json per day.
 * Windows are aligned to the UTC day and never cross midnight.
 */
import { ValidationError } from "./errors.js";

export const DAY_MS = 86_400_000;
export const ARCHIVE_SUFFIX = ".jsonl.gz";
export const TMP_SUFFIX = ".tmp";
export const MANIFEST_NAME = "manifest.json";

export interface RotationWindow {
  /** UTC date, YYYY-MM-DD. */
  date: string;
  /** HHMM of the window start. */
  hhmm: string;
  startMs: number;
  /** Exclusive; never past the end of the UTC day. */
  endMs: number;
}

/** The rotation window holding `tsMs`. */
export function windowAt(tsMs: number, intervalMs: number): RotationWindow {
  const dayStart = Math.floor(tsMs / DAY_MS) * DAY_MS;
  const startMs = dayStart + Math.floor((tsMs - dayStart) / intervalMs) * intervalMs;
  const endMs = Math.min(startMs + intervalMs, dayStart + DAY_MS);
  const iso = new Date(startMs).toISOString();
  return { date: iso.slice(0, 10), hhmm: iso.slice(11, 13) + iso.slice(14, 16), startMs, endMs };
}

/** "15m", "1h", "30s", "900000" (ms) → milliseconds; between 1 minute and 24 hours. */
export function parseInterval(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new ValidationError(`invalid rotation interval '${text}'`, ["use e.g. 15m, 1h, 30s"]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? "ms"] ?? 1;
  const ms = Number(match[1]) * unit;
  if (ms < 1000 || ms > DAY_MS) {
    throw new ValidationError(`rotation interval '${text}' out of range`, ["between 1s and 24h"]);
  }
  return ms;
}

/** Sealed file name for a window; `part` > 0 when a restart continues an already sealed window. */
export function archiveFileName(hhmm: string, part = 0): string {
  return part === 0 ? `${hhmm}${ARCHIVE_SUFFIX}` : `${hhmm}_${part}${ARCHIVE_SUFFIX}`;
}

export function archiveKey(feed: string, date: string, fileName: string): string {
  return `${feed}/${date}/${fileName}`;
}

export function manifestKey(feed: string, date: string): string {
  return `${feed}/${date}/${MANIFEST_NAME}`;
}

/** "1415.jsonl.gz" / "1415_2.jsonl.gz" → {hhmm, part}; undefined for other names. */
export function parseArchiveFileName(name: string): { hhmm: string; part: number } | undefined {
  const match = /^(\d{4})(?:_(\d+))?\.jsonl\.gz$/.exec(name);
  if (!match) return undefined;
  return { hhmm: match[1]!, part: match[2] ? Number(match[2]) : 0 };
}

export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

/** Start of the UTC day `date`, Unix ms. */
export function dayStartMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}
