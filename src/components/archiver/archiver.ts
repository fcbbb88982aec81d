/**
 * The archiver: a durable JetStream pull consumer → gzip JSONL files + per-day manifests, on a
 * local directory or (through the upload spool) S3. start() checks the stream and filter,
 * recovers the work directory, then consumes; stop() stops intake, seals the open file, writes
 * the manifest, acks, and gives the spool a moment to upload.
 */
import { join } from "node:path";
import type { Bus, MessageStream } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { ArchiveWriter, type WriterCounters } from "./archive-writer.js";
import type { ArchiverConfig } from "./config.js";
import { DayManifests, mergeManifestBytes } from "./day-manifests.js";
import { DayDedupe } from "./dedupe.js";
import { checkFilter } from "./filter-check.js";
import { type ArchiverMetrics, createArchiverMetrics } from "./metrics.js";
import { recoverWorkDir } from "./recovery.js";
import { SealService } from "./seal.js";
import { SeqLedger } from "./seq-ledger.js";

export interface ArchiverDeps {
  bus: Bus;
  store: ObjectStore;
  logger: Logger;
  /** Unix ms; injected by tests to drive rotation. */
  clock?: () => number;
}

export interface ArchiverStats extends WriterCounters {
  filesSealed: number;
  bytesWritten: number;
  uploadsPending: number;
  highestSeq: number;
  lag: number;
  openFile: string | undefined;
  salvaged: number;
  running: boolean;
}

export interface Archiver {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): ArchiverStats;
  readonly metrics: ArchiverMetrics;
  /** Set when writing failed; the process should exit non-zero (nothing unwritten was acked). */
  failure(): Error | undefined;
  ready(): boolean;
}

export function createArchiver(config: ArchiverConfig, deps: ArchiverDeps): Archiver {
  return new ArchiverImpl(config, deps);
}

const STATE_DIR = ".archiver-state";

class ArchiverImpl implements Archiver {
  readonly metrics = createArchiverMetrics();
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly spool: UploadSpool;
  private writer: ArchiveWriter | undefined;
  private sealer: SealService | undefined;
  private stream: MessageStream | undefined;
  private loop: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lag = 0;
  private salvaged = 0;
  private running = false;
  private failed: Error | undefined;

  constructor(
    private readonly config: ArchiverConfig,
    private readonly deps: ArchiverDeps,
  ) {
    this.clock = deps.clock ?? Date.now;
    this.logger = deps.logger;
    const bucket = { bucket: config.bucketLabel };
    this.spool = new UploadSpool({
      store: deps.store,
      stateDir: join(config.workDir, STATE_DIR, config.feed),
      deleteLocalAfterUpload: config.deleteLocalAfterUpload,
      logger: deps.logger,
      mergeManifest: mergeManifestBytes,
      onUploaded: () => this.metrics.uploadsPending.set(bucket, this.spool.pending),
      onRetry: () => this.metrics.uploadRetries.inc(bucket),
    });
  }

  async start(): Promise<void> {
    const { bus } = this.deps;
    const info = await bus.streamInfo(this.config.stream);
    if (!info)
      throw new ConfigError(`stream '${this.config.stream}' does not exist (start the connector first)`);
    const coversStream = checkFilter(this.config.filterSubjects, info);
    await this.spool.open();
    const nowIso = () => new Date(this.clock()).toISOString();
    const manifests = new DayManifests(
      this.config.workDir,
      this.config.feed,
      this.deps.store,
      this.spool,
      this.logger,
      nowIso,
    );
    const dedupe = new DayDedupe(
      join(this.config.workDir, STATE_DIR, this.config.feed),
      this.config.dedupeMaxIds,
    );
    const ledger = new SeqLedger(join(this.config.workDir, STATE_DIR, this.config.feed));
    await ledger.load();
    const recovered = await recoverWorkDir({
      ...this.config,
      manifests,
      spool: this.spool,
      ledger,
      logger: this.logger,
    });
    this.salvaged = recovered.salvaged.length;
    this.sealer = new SealService(
      this.config.feed,
      this.config.bucketLabel,
      manifests,
      this.spool,
      dedupe,
      this.metrics,
      this.logger,
    );
    this.writer = new ArchiveWriter(
      this.config,
      dedupe,
      this.sealer,
      this.metrics,
      this.clock,
      ledger,
      bus,
      coversStream,
    );
    this.writer.rememberOpenDays(recovered.openDays);
    this.spool.start();
    this.stream = await bus.consume({
      stream: this.config.stream,
      durable: this.config.consumer,
      filterSubjects: this.config.filterSubjects,
      deliverFrom: { kind: "all" },
      ackWaitMs: this.config.ackWaitMs,
      maxAckPending: this.config.maxAckPending,
      batch: this.config.batch,
    });
    this.running = true;
    this.loop = this.consume(this.stream, this.writer);
    this.timer = setInterval(() => this.tick(), Math.min(250, this.config.fsyncIntervalMs));
    this.logger.info("archiver started", {
      stream: this.config.stream,
      consumer: this.config.consumer,
      filter: this.config.filterSubjects,
      store: this.deps.store.location,
      archived_up_to_seq: ledger.highest,
      salvaged: recovered.salvaged,
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const wasRunning = this.running;
    this.running = false;
    await this.stream?.close();
    await this.loop;
    await this.inflight;
    if (wasRunning && this.writer && !this.failed) await this.writer.sealOpen(false);
    const uploaded = await this.spool.drain(10_000);
    await this.spool.stop();
    if (!uploaded)
      this.logger.warn("uploads still pending; they resume at next start", { pending: this.spool.pending });
    this.logger.info("archiver stopped", { ...this.stats() });
  }

  stats(): ArchiverStats {
    const counters = this.writer?.counters ?? {
      messages: 0,
      duplicates: 0,
      redeliveries: 0,
      gaps: 0,
      parseErrors: 0,
    };
    return {
      ...counters,
      filesSealed: this.sealer?.counters.filesSealed ?? 0,
      bytesWritten: this.sealer?.counters.bytesWritten ?? 0,
      uploadsPending: this.spool.pending,
      highestSeq: this.writer?.highestSeq ?? 0,
      lag: this.lag,
      openFile: this.writer?.openFileName,
      salvaged: this.salvaged,
      running: this.running,
    };
  }

  failure(): Error | undefined {
    return this.failed;
  }

  ready(): boolean {
    return this.running && !this.failed && this.deps.bus.isConnected();
  }

  private async consume(stream: MessageStream, writer: ArchiveWriter): Promise<void> {
    try {
      for await (const msg of stream) {
        if (this.inflight) await this.inflight;
        this.lag = msg.pending;
        const work = writer.handle(msg);
        if (work) {
          this.inflight = work;
          await work;
          this.inflight = undefined;
        }
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private tick(): void {
    const writer = this.writer;
    if (this.inflight || !writer || this.failed) return;
    this.metrics.uploadsPending.set({ bucket: this.config.bucketLabel }, this.spool.pending);
    const work = writer.tick(this.lag === 0);
    if (!work) return;
    this.inflight = work.then(
      () => {
        this.inflight = undefined;
      },
      (error: unknown) => {
        this.inflight = undefined;
        this.fail(error);
      },
    );
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = error instanceof Error ? error : new Error(String(error));
    this.logger.error("archiver failed; unacked messages stay in the stream", { error: errorMessage(error) });
    void this.writer?.abandon();
    void this.stream?.close();
  }
}
