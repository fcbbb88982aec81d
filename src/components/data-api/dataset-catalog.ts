/**
 * What data exists: feeds, days and their manifests, read through the storage port.
 * Every lookup validates first and answers like a person would: an unknown feed gets a
 * "Did you mean", a day without data names the latest day that has some.
 */
import { listDates, listFeeds } from "../../adapters/archive-reader/archive-layout.js";
import { readManifest } from "../../adapters/archive-reader/manifest-reader.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { parseArchiveFileName } from "../../core/archive-paths.js";
import { NotFoundError, SsmdError } from "../../core/errors.js";
import type { DayManifest } from "../../core/manifest.js";
import { suggest } from "../../core/suggest.js";

export interface DatasetSummary {
  feed: string;
  date: string;
  files: number;
  records: number | null;
  bytes: number;
  status: string;
  quality: number | null;
  gaps: number | null;
  tickers: number | null;
  channels: string[];
  /** Normalized exports found in the day folder (`ssmd data export --out <root>`), e.g. ["trade"]. */
  normalized: string[];
}

export interface DatasetQuery {
  feed?: string;
  from?: string;
  to?: string;
}

const EXPORT_FILE = /^(trade|ticker|orderbook|lifecycle)\.(parquet|csv)$/;

export class DatasetCatalog {
  constructor(readonly store: ObjectStore) {}

  feeds(): Promise<string[]> {
    return listFeeds(this.store);
  }

  /** The feed, or NotFoundError with the closest existing feed. */
  async requireFeed(feed: string): Promise<string> {
    const feeds = await this.feeds();
    if (feeds.includes(feed)) return feed;
    throw new NotFoundError("feed", feed, feeds, suggest(feed, feeds));
  }

  async dates(feed: string, from?: string, to?: string): Promise<string[]> {
    return listDates(this.store, feed, from, to);
  }

  /** The day, or NOT_FOUND saying there is no data and naming the latest available date. */
  async requireDay(feed: string, date: string): Promise<string> {
    await this.requireFeed(feed);
    const dates = await this.dates(feed);
    if (dates.includes(date)) return date;
    throw noDataError(feed, date, dates);
  }

  /** Validated range: at least one day with data, else the same helpful NOT_FOUND. */
  async requireDays(feed: string, from: string, to: string): Promise<string[]> {
    await this.requireFeed(feed);
    const dates = await this.dates(feed, from, to);
    if (dates.length > 0) return dates;
    throw noDataError(feed, from === to ? from : `${from}..${to}`, await this.dates(feed));
  }

  manifest(feed: string, date: string): Promise<DayManifest | undefined> {
    return readManifest(this.store, feed, date);
  }

  async datasets(query: DatasetQuery = {}): Promise<DatasetSummary[]> {
    const feeds = query.feed ? [await this.requireFeed(query.feed)] : await this.feeds();
    const out: DatasetSummary[] = [];
    for (const feed of feeds) {
      for (const date of await this.dates(feed, query.from, query.to))
        out.push(await this.summary(feed, date));
    }
    return out;
  }

  async summary(feed: string, date: string): Promise<DatasetSummary> {
    const prefix = `${feed}/${date}/`;
    const [manifest, objects] = await Promise.all([this.manifest(feed, date), this.store.list(prefix)]);
    const named = objects.map((object) => ({ name: object.key.slice(prefix.length), size: object.size }));
    // one listing of the day folder serves both: its archive files and its exports
    const files = named.filter(({ name }) => !name.includes("/") && parseArchiveFileName(name));
    const normalized = named
      .map(({ name }) => EXPORT_FILE.exec(name))
      .flatMap((match) => (match ? [match[1]!] : []));
    return {
      feed,
      date,
      files: files.length,
      records: manifest?.records ?? null,
      bytes: files.reduce((sum, file) => sum + file.size, 0),
      status: manifest?.status ?? "unknown",
      quality: manifest?.quality.score ?? null,
      gaps: manifest?.gaps.length ?? null,
      tickers: manifest?.tickers.length ?? null,
      channels: manifest?.channels ?? [],
      normalized: [...new Set(normalized)].sort(),
    };
  }
}

export function noDataError(feed: string, wanted: string, dates: string[]): SsmdError {
  const latest = dates.at(-1);
  const hint = latest ? ` The latest available date is ${latest}.` : " The feed has no data yet.";
  const details = dates.length > 0 ? [`available: ${dates.length} day(s), ${dates[0]} .. ${latest}`] : [];
  return new SsmdError("NOT_FOUND", `no data for feed '${feed}' on ${wanted}.${hint}`, { details });
}
