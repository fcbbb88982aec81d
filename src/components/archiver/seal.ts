/**
 * Sealing a file: finish + fsync + rename (ArchiveFileWriter.seal), persist its message ids,
 * queue the upload, add its manifest entry. Closing a day marks its manifest complete/partial.
 */

import type { Logger } from "../../adapters/log.js";
import type { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { archiveKey } from "../../core/archive-paths.js";
import { interval } from "../../core/manifest-coverage.js";
import type { DayManifests } from "./day-manifests.js";
import type { DayDedupe } from "./dedupe.js";
import type { ArchiverMetrics } from "./metrics.js";
import type { OpenFile } from "./open-file.js";

export interface SealCounters {
  filesSealed: number;
  bytesWritten: number;
}

export class SealService {
  readonly counters: SealCounters = { filesSealed: 0, bytesWritten: 0 };

  constructor(
    private readonly feed: string,
    private readonly bucketLabel: string,
    private readonly manifests: DayManifests,
    private readonly spool: UploadSpool,
    private readonly dedupe: DayDedupe,
    private readonly metrics: ArchiverMetrics,
    private readonly logger: Logger,
  ) {}

  /** `beforeManifest` runs once the file is sealed and before it is listed (the seq ledger's persist). */
  async seal(open: OpenFile, byRotation: boolean, beforeManifest: () => Promise<void>): Promise<void> {
    const written = await open.writer.seal();
    await beforeManifest();
    const { window, stats } = open;
    const lastMs = Math.floor(stats.lastRt / 1000);
    const endMs = byRotation ? window.endMs : Math.min(window.endMs, Math.max(window.startMs, lastMs));
    const listed = stats.toManifestFile(open.name, window.startMs, endMs, written);
    const file = open.streamEpoch > 0 ? { ...listed, stream_epoch: open.streamEpoch } : listed;
    await this.dedupe.persist(window.date, open.ids);
    this.spool.enqueue({
      key: archiveKey(this.feed, window.date, open.name),
      localPath: written.path,
      kind: "data",
      sha256: written.sha256,
    });
    await this.manifests.apply(window.date, {
      file,
      tickers: stats.tickers,
      channels: Object.keys(stats.byChannel),
      gaps: open.gaps,
      duplicatesDropped: open.duplicates,
      parseErrors: open.parseErrors,
      covered: [interval(window.startMs, endMs)],
    });
    this.counters.filesSealed++;
    this.counters.bytesWritten += written.bytesCompressed;
    this.metrics.filesWritten.inc({ bucket: this.bucketLabel });
    this.metrics.bytesWritten.inc({ bucket: this.bucketLabel }, written.bytesCompressed);
    this.logger.info("file sealed", {
      file: `${window.date}/${open.name}`,
      records: stats.records,
      bytes: written.bytesCompressed,
      first_seq: stats.firstSeq,
      last_seq: stats.lastSeq,
    });
  }

  async closeDay(date: string): Promise<void> {
    const manifest = await this.manifests.apply(date, { closeDay: true });
    this.logger.info("day closed", { date, status: manifest.status, score: manifest.quality.score });
  }
}
