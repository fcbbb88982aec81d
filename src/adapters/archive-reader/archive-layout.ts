/**
 * Where things are in an archive (contract §3): {feed}/{YYYY-MM-DD}/{HHMM}.jsonl.gz and
 * {feed}/{YYYY-MM-DD}/manifest.json. Lists feeds, days and sealed files through the ObjectStore
 * port; `.tmp` files (not sealed yet) are never read.
 */
import { parseArchiveFileName } from "../../core/archive-paths.js";
import type { ObjectStore } from "../storage/types.js";

export interface ArchiveFile {
  feed: string;
  date: string;
  /** "HHMM" rotation window start (UTC). */
  window: string;
  /** > 0 when a restarted archiver continued an already sealed window (HHMM_N.jsonl.gz). */
  part: number;
  key: string;
  /** Unix µs of the window start. */
  startUs: number;
  /** Compressed size in bytes. */
  size: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FEED = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function isArchiveDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(text);
}

export function isFeedName(text: string): boolean {
  return FEED.test(text);
}

/** Unix µs at 00:00 UTC of a YYYY-MM-DD date. */
export function dayStartUs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) * 1000;
}

/** YYYY-MM-DD (UTC) of a Unix µs time. */
export function dateOfUs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString().slice(0, 10);
}

export async function listFeeds(store: ObjectStore): Promise<string[]> {
  const names = await store.listPrefixes("");
  return names
    .map((name) => trimSlash(name).split("/").pop() ?? "")
    .filter(isFeedName)
    .sort();
}

/** Days of a feed, ascending, optionally within [from, to] (inclusive YYYY-MM-DD). */
export async function listDates(
  store: ObjectStore,
  feed: string,
  from?: string,
  to?: string,
): Promise<string[]> {
  const names = await store.listPrefixes(`${feed}/`);
  return names
    .map((name) => trimSlash(name).split("/").pop() ?? "")
    .filter(isArchiveDate)
    .filter((date) => (from === undefined || date >= from) && (to === undefined || date <= to))
    .sort();
}

/** Sealed data files of one day, in window order. */
export async function listDayFiles(store: ObjectStore, feed: string, date: string): Promise<ArchiveFile[]> {
  const prefix = `${feed}/${date}/`;
  const objects = await store.list(prefix);
  const files: ArchiveFile[] = [];
  for (const object of objects) {
    const name = object.key.slice(prefix.length);
    const parsed = name.includes("/") ? undefined : parseArchiveFileName(name);
    if (!parsed) continue;
    const window = parsed.hhmm;
    const minutes = Number(window.slice(0, 2)) * 60 + Number(window.slice(2));
    const startUs = dayStartUs(date) + minutes * 60_000_000;
    files.push({ feed, date, window, part: parsed.part, key: object.key, startUs, size: object.size });
  }
  return files.sort((a, b) => a.window.localeCompare(b.window) || a.part - b.part);
}

export function manifestKey(feed: string, date: string): string {
  return `${feed}/${date}/manifest.json`;
}

function trimSlash(name: string): string {
  return name.endsWith("/") ? name.slice(0, -1) : name;
}
