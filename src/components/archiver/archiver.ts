/**
 * The archiver: a durable JetStream pull consumer → gzip JSONL files + per-day manifests, on a
 * local directory or (through the upload spool) S3. start() recovers the work directory, then
 * consumes once the stream exists (a missing stream is waited for; a filter matching none of its
 * subjects is refused); a deleted and recreated stream starts a new seq-ledger epoch; stop()
 * stops intake, seals the open file, writes the manifest, acks, and gives the spool a moment to
 * upload.
 * The parts: archive-pipeline.ts (the write path), consumer-supervisor.ts (attach, re-attach,
 * stream check), intake.ts (messages → writer, one write at a time), archiver-stats.ts.
 */
import { StreamWait, type StreamWaitTiming } from "../../adapters/bus/stream-wait.js";
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { errorMessage } from "../../core/errors.js";
import { type ArchivePipeline, openPipeline, stateDirOf } from "./archive-pipeline.js";
import { type ArchiverStats, assembleStats } from "./archiver-stats.js";
import type { ArchiverConfig } from "./config.js";
import { ConsumerSupervisor } from "./consumer-supervisor.js";
import { mergeManifestBytes } from "./day-manifests.js";
import { Intake } from "./intake.js";
import { type ArchiverMetrics, createArchiverMetrics } from "./metrics.js";

export type { ArchiverStats } from "./archiver-stats.js";

export interface ArchiverDeps {
  bus: Bus;
  store: ObjectStore;
  logger: Logger;
  /** Unix ms; injected by tests to drive rotation. */
  clock?: () => number;
  /** Backoff of the wait for a missing stream (tests shorten it). */
  streamWait?: StreamWaitTiming;
}

export interface Archiver {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): ArchiverStats;
  readonly metrics: ArchiverMetrics;
  /** Why the archiver is not consuming (waiting for its stream); undefined while it consumes. */
  waitingReason(): string | undefined;
  /** Set when writing failed; the process should exit non-zero (nothing unwritten was acked). */
  failure(): Error | undefined;
  ready(): boolean;
}

export function createArchiver(config: ArchiverConfig, deps: ArchiverDeps): Archiver {
  return new ArchiverImpl(config, deps);
}

class ArchiverImpl implements Archiver {
  readonly metrics = createArchiverMetrics();
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly spool: UploadSpool;
  private readonly watch: StreamWait;
  private pipeline: ArchivePipeline | undefined;
  private intake: Intake | undefined;
  private supervisor: ConsumerSupervisor | undefined;
  private checkTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private failed: Error | undefined;

  constructor(
    private readonly config: ArchiverConfig,
    private readonly deps: ArchiverDeps,
  ) {
    this.clock = deps.clock ?? Date.now;
    this.logger = deps.logger;
    this.watch = new StreamWait(deps.bus, config.stream, deps.logger, deps.streamWait);
    const bucket = { bucket: config.bucketLabel };
    this.spool = new UploadSpool({
      store: deps.store,
      stateDir: stateDirOf(config),
      deleteLocalAfterUpload: config.deleteLocalAfterUpload,
      logger: deps.logger,
      mergeManifest: mergeManifestBytes,
      onUploaded: () => this.metrics.uploadsPending.set(bucket, this.spool.pending),
      onRetry: () => this.metrics.uploadRetries.inc(bucket),
    });
  }

  async start(): Promise<void> {
    await this.spool.open();
    const pipeline = await openPipeline(this.config, {
      bus: this.deps.bus,
      store: this.deps.store,
      logger: this.logger,
      spool: this.spool,
      metrics: this.metrics,
      clock: this.clock,
    });
    this.pipeline = pipeline;
    const supervisor = this.superviseWith(pipeline);
    const info = await this.watch.check();
    if (info) await supervisor.attach(info);
    this.running = true;
    this.spool.start();
    this.loop = supervisor.supervise(info !== undefined);
    this.timer = setInterval(() => this.tick(), Math.min(250, this.config.fsyncIntervalMs));
    this.checkTimer = setInterval(() => void supervisor.checkStream(), this.config.streamCheckMs ?? 2000);
    this.logger.info("archiver started", {
      stream: this.config.stream,
      consumer: this.config.consumer,
      filter: this.config.filterSubjects,
      store: this.deps.store.location,
      archived_up_to_seq: pipeline.ledger.highest,
      ledger_epoch: pipeline.ledger.identity.epoch,
      salvaged: pipeline.salvaged,
      waiting_for_stream: this.watch.reason,
    });
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.checkTimer) clearInterval(this.checkTimer);
    this.timer = undefined;
    this.checkTimer = undefined;
    const wasRunning = this.running;
    this.running = false;
    this.watch.stop();
    await this.supervisor?.close();
    await this.loop;
    await this.intake?.settled();
    if (wasRunning && this.pipeline && !this.failed) await this.pipeline.writer.sealOpen(false);
    const uploaded = await this.spool.drain(10_000);
    await this.spool.stop();
    if (!uploaded)
      this.logger.warn("uploads still pending; they resume at next start", { pending: this.spool.pending });
    this.logger.info("archiver stopped", { ...this.stats() });
  }

  stats(): ArchiverStats {
    return assembleStats(this.pipeline, {
      uploadsPending: this.spool.pending,
      lag: this.lag(),
      running: this.running,
      waiting: this.waitingReason(),
    });
  }

  failure(): Error | undefined {
    return this.failed;
  }

  ready(): boolean {
    return this.running && this.consuming() && !this.failed && this.deps.bus.isConnected();
  }

  waitingReason(): string | undefined {
    return this.consuming() ? undefined : this.watch.reason;
  }

  /** Builds the intake and the consumer supervisor on top of the opened pipeline. */
  private superviseWith(pipeline: ArchivePipeline): ConsumerSupervisor {
    const fail = (error: unknown) => this.fail(error);
    const intake = new Intake(pipeline.writer, fail);
    this.intake = intake;
    this.supervisor = new ConsumerSupervisor({
      config: this.config,
      bus: this.deps.bus,
      logger: this.logger,
      metrics: this.metrics,
      watch: this.watch,
      ledger: pipeline.ledger,
      writer: pipeline.writer,
      intake,
      host: { isRunning: () => this.running, hasFailed: () => this.failed !== undefined, fail },
    });
    return this.supervisor;
  }

  private consuming(): boolean {
    return this.supervisor?.consuming ?? false;
  }

  private lag(): number {
    return this.intake?.lag ?? 0;
  }

  private tick(): void {
    const intake = this.intake;
    if (!intake || intake.busy || this.failed) return;
    this.metrics.uploadsPending.set({ bucket: this.config.bucketLabel }, this.spool.pending);
    const lag = this.lag();
    this.metrics.lag.set({ feed: this.config.feed }, lag);
    intake.tick(lag === 0);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = error instanceof Error ? error : new Error(String(error));
    this.logger.error("archiver failed; unacked messages stay in the stream", { error: errorMessage(error) });
    void this.pipeline?.writer.abandon();
    void this.supervisor?.close();
  }
}
