/**
 * THE archive reader: an async iterator over one feed's sealed files, across files and days in
 * order, yielding the same StreamRecord the live path yields (STYLE §1). Filters on rt, ticker,
 * channel and type from the line bytes (no JSON.parse of dropped lines); gap records pass through.
 * close()/return() destroy the open file at once, even while a next() is pending.
 */
import type { Readable } from "node:stream";
import type { StreamRecord } from "../../core/record.js";
import type { ObjectStore } from "../storage/types.js";
import { type ArchiveFile, dateOfUs, listDates, listDayFiles } from "./archive-layout.js";
import { type BadLineHandler, ChunkScanner, emptyScanStats, type ScanStats } from "./chunk-scanner.js";
import { fileSkipCheck } from "./file-skip.js";
import { openCompressed } from "./file-source.js";
import { gunzipStream, wholeLineChunks } from "./line-chunks.js";
import { readManifest } from "./manifest-reader.js";
import { RecordFilter, type RecordFilterSpec } from "./record-filter.js";

export interface ArchiveQuery extends RecordFilterSpec {
  feed: string;
  /** First day (YYYY-MM-DD, inclusive); default: the day of fromUs, else the first day. */
  fromDate?: string;
  /** Last day (inclusive); default: the day of toUs, else the last day. */
  toDate?: string;
}

export interface ReaderStats extends ScanStats {
  files: number;
  compressedBytes: number;
  corruptFiles: string[];
}

/** Kept lines of one decompressed chunk: `bytes` holds `lines` whole lines, in order. */
export interface RawBatch {
  bytes: Buffer[];
  lines: number;
}

export interface ReaderHooks {
  onBadLine?: (file: string, lineText: string) => void;
  onFileError?: (file: string, error: unknown) => void;
  onFile?: (file: ArchiveFile, index: number, total: number) => void;
}

/** Files are rotated on the writer's clock, which runs after rt: allow this much lag. */
const WINDOW_SLACK_US = 60_000_000;

export class ArchiveReader implements AsyncIterableIterator<StreamRecord> {
  readonly stats: ReaderStats = { ...emptyScanStats(), files: 0, compressedBytes: 0, corruptFiles: [] };
  private readonly filter: RecordFilter;
  private readonly scanner: ChunkScanner;
  private current: Readable | undefined;
  private closed = false;
  private batches: AsyncGenerator<StreamRecord[]> | undefined;
  private buffered: StreamRecord[] = [];
  private position = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly query: ArchiveQuery,
    private readonly hooks: ReaderHooks = {},
  ) {
    this.filter = new RecordFilter(query);
    const onBadLine: BadLineHandler = (text) => hooks.onBadLine?.(this.currentKey, text);
    this.scanner = new ChunkScanner(this.filter, this.stats, onBadLine);
  }

  private currentKey = "";

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** A record already decoded is handed out without entering an async function. */
  next(): Promise<IteratorResult<StreamRecord>> {
    if (this.position < this.buffered.length) {
      return Promise.resolve({ done: false, value: this.buffered[this.position++]! });
    }
    return this.nextBatch();
  }

  private async nextBatch(): Promise<IteratorResult<StreamRecord>> {
    while (this.position >= this.buffered.length) {
      if (this.closed) return { done: true, value: undefined };
      this.batches ??= this.batchesOf((buf) => {
        const out: StreamRecord[] = [];
        this.scanner.records(buf, out);
        return out.length > 0 ? out : undefined;
      });
      const step = await this.batches.next();
      if (step.done || this.closed) return this.finish();
      this.buffered = step.value;
      this.position = 0;
    }
    return { done: false, value: this.buffered[this.position++]! };
  }

  async return(): Promise<IteratorResult<StreamRecord>> {
    await this.close();
    return { done: true, value: undefined };
  }

  /** Kept lines as raw bytes (runs of whole lines, each ending with '\n'), batched per decompressed chunk. */
  rawBatches(): AsyncGenerator<RawBatch> {
    return this.batchesOf((buf) => {
      const bytes: Buffer[] = [];
      const lines = this.scanner.rawLines(buf, bytes);
      return lines > 0 ? { bytes, lines } : undefined;
    });
  }

  /** Stops reading: destroys the open file; a pending next() resolves done. */
  async close(): Promise<void> {
    this.closed = true;
    this.current?.destroy();
    this.current = undefined;
    this.buffered = [];
    this.position = 0;
  }

  private finish(): IteratorResult<StreamRecord> {
    this.closed = true;
    return { done: true, value: undefined };
  }

  private async *batchesOf<B>(collect: (buf: Buffer) => B | undefined): AsyncGenerator<B> {
    const files = await this.files();
    for (const [index, file] of files.entries()) {
      if (this.closed) return;
      this.hooks.onFile?.(file, index, files.length);
      this.currentKey = file.key;
      this.stats.files++;
      this.stats.compressedBytes += file.size;
      try {
        const gunzip = gunzipStream(await openCompressed(this.store, file.key));
        this.current = gunzip;
        for await (const chunk of wholeLineChunks(gunzip)) {
          const batch = collect(chunk);
          if (batch !== undefined) yield batch;
          if (this.closed) return;
        }
      } catch (error) {
        if (this.closed) return;
        if (!isDecompressionError(error)) throw error;
        this.stats.corruptFiles.push(file.key);
        this.hooks.onFileError?.(file.key, error);
      } finally {
        this.current?.destroy();
        this.current = undefined;
      }
    }
  }

  /** Without a manifest: the file's rotation window (plus slack) cannot hold wanted records. */
  private outsideWindow(day: ArchiveFile[], i: number): boolean {
    const file = day[i]!;
    const later = day.slice(i + 1).find((other) => other.startUs > file.startUs);
    const nextStart = later?.startUs ?? Number.POSITIVE_INFINITY;
    return nextStart <= this.filter.fromUs || file.startUs >= this.filter.toUs + WINDOW_SLACK_US;
  }

  private async files(): Promise<ArchiveFile[]> {
    const { query, filter } = this;
    const fromDate = query.fromDate ?? (Number.isFinite(filter.fromUs) ? dateOfUs(filter.fromUs) : undefined);
    const toDate = query.toDate ?? (Number.isFinite(filter.toUs) ? dateOfUs(filter.toUs - 1) : undefined);
    const dates = await listDates(this.store, query.feed, fromDate, toDate);
    const files: ArchiveFile[] = [];
    for (const date of dates) {
      const day = await listDayFiles(this.store, query.feed, date);
      const skip = fileSkipCheck(
        query,
        await readManifest(this.store, query.feed, date).catch(() => undefined),
      );
      day.forEach((file, i) => {
        if (this.outsideWindow(day, i) || skip(file.key.slice(file.key.lastIndexOf("/") + 1))) return;
        files.push(file);
      });
    }
    return files;
  }
}

export function readArchive(store: ObjectStore, query: ArchiveQuery, hooks?: ReaderHooks): ArchiveReader {
  return new ArchiveReader(store, query, hooks);
}

/** zlib failures (Z_DATA_ERROR, Z_BUF_ERROR on a torn file): the file is bad, the read goes on. */
function isDecompressionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}
