/**
 * Stages normalized rows as CSV text, one file per type per day, read straight from the archive.
 * DuckDB then types them (exact DECIMALs from decimal text) and writes Parquet/CSV, or serves them
 * as SQL views. Staging keeps memory bounded: rows stream to disk with backpressure.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import { readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import type { ExportType } from "./export-columns.js";
import { csvLine, normalizeRecord } from "./normalize-rows.js";

export interface StagedDay {
  date: string;
  files: Record<ExportType, string>;
  rows: Record<ExportType, number>;
}

export interface StageResult {
  days: StagedDay[];
  /** Records read: those of the wanted types' channels only. */
  records: number;
  parseErrors: number;
  firstError?: string;
}

export interface StageOptions {
  store: ObjectStore;
  feed: string;
  dates: string[];
  types: readonly ExportType[];
  dir: string;
  /** Called as archive files are opened: (files done, files in this day, day index). */
  progress?: (done: number, total: number, date: string) => void;
}

const FLUSH_BYTES = 256 * 1024;

class StagedFile {
  private pending = "";
  rows = 0;
  constructor(readonly stream: WriteStream) {}

  async add(line: string): Promise<void> {
    this.pending += line;
    this.rows++;
    if (this.pending.length >= FLUSH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const ok = this.stream.write(this.pending);
    this.pending = "";
    if (!ok) await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

export async function stageDays(options: StageOptions): Promise<StageResult> {
  const result: StageResult = { days: [], records: 0, parseErrors: 0 };
  for (const date of options.dates) result.days.push(await stageDay(options, date, result));
  return result;
}

async function stageDay(options: StageOptions, date: string, result: StageResult): Promise<StagedDay> {
  const wanted = new Set(options.types);
  const staged = new Map<ExportType, StagedFile>();
  const files = {} as Record<ExportType, string>;
  for (const type of options.types) {
    files[type] = join(options.dir, `${options.feed}-${date}-${type}.csv`);
    staged.set(type, new StagedFile(createWriteStream(files[type])));
  }
  const hooks = options.progress
    ? { onFile: (_f: unknown, index: number, total: number) => options.progress?.(index, total, date) }
    : {};
  const reader = readArchive(
    options.store,
    // export types are the subject channels: lines of other channels are dropped undecoded
    { feed: options.feed, fromDate: date, toDate: date, channels: options.types, includeGaps: false },
    hooks,
  );
  try {
    for await (const record of reader) {
      result.records++;
      const normalized = normalizeRecord(record);
      if (normalized === undefined) continue;
      if ("error" in normalized) {
        result.parseErrors++;
        result.firstError ??= normalized.error;
        continue;
      }
      if (!wanted.has(normalized.type)) continue;
      const file = staged.get(normalized.type)!;
      for (const row of normalized.rows) await file.add(csvLine(row));
    }
  } finally {
    for (const file of staged.values()) await file.close();
  }
  const rows = {} as Record<ExportType, number>;
  for (const [type, file] of staged) rows[type] = file.rows;
  return { date, files, rows };
}
