/**
 * The archiver: a durable JetStream pull consumer → gzip JSONL files + per-day manifests, on a
 * local directory or (through the upload spool) S3. start() recovers the work directory, then
 * consumes once the stream exists (a missing stream is waited for; a filter matching none of its
 * subjects is refused); a deleted and recreated stream starts a new seq-ledger epoch; stop() stops intake, seals the open file, writes
 * the manifest, acks, and gives the spool a moment to upload.
 */
import { join } from "node:path";
import { StreamWait, type StreamWaitTiming } from "../../adapters/bus/stream-wait.js";
import type { Bus, BusMessage, MessageStream, StreamInfo } from "../../adapters/bus/types.js";
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
import { incarnationChange } from "./stream-incarnation.js";

export interface ArchiverDeps {
  bus: Bus;
  store: ObjectStore;
  logger: Logger;
  /** Unix ms; injected by tests to drive rotation. */
  clock?: () => number;
  /** Backoff of the wait for a missing stream (tests shorten it). */
  streamWait?: StreamWaitTiming;
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
  ledgerEpoch: number;
  waiting: string | undefined;
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

const STATE_DIR = ".archiver-state";
/** Pause before re-opening a consumer that ended (no busy loop if it keeps ending). */
const REATTACH_PAUSE_MS = 200;
/** Messages taken from the consumer per synchronous round. */
const INTAKE_BATCH = 512;

class ArchiverImpl implements Archiver {
  readonly metrics = createArchiverMetrics();
  private readonly clock: () => number;
  private readonly logger: Logger;
  private readonly spool: UploadSpool;
  private writer: ArchiveWriter | undefined;
  private sealer: SealService | undefined;
  private stream: MessageStream | undefined;
  private ledger: SeqLedger | undefined;
  private readonly watch: StreamWait;
  private consuming = false;
  private checking = false;
  private checkTimer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private inflight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The newest message handed to the writer: consumer lag is read from it when needed. */
  private last: BusMessage | undefined;
  private salvaged = 0;
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
    this.ledger = ledger;
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
    const writer = new ArchiveWriter(this.config, dedupe, this.sealer, this.metrics, this.clock, ledger, bus);
    this.writer = writer;
    writer.rememberOpenDays(recovered.openDays);
    const info = await this.watch.check();
    if (info) await this.attach(info);
    this.running = true;
    this.spool.start();
    this.loop = this.supervise(writer, info !== undefined);
    this.timer = setInterval(() => this.tick(), Math.min(250, this.config.fsyncIntervalMs));
    this.checkTimer = setInterval(() => void this.checkStream(), this.config.streamCheckMs ?? 2000);
    this.logger.info("archiver started", {
      stream: this.config.stream,
      consumer: this.config.consumer,
      filter: this.config.filterSubjects,
      store: this.deps.store.location,
      archived_up_to_seq: ledger.highest,
      ledger_epoch: ledger.identity.epoch,
      salvaged: recovered.salvaged,
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

  /** Checks the filter against the stream, starts a ledger epoch for a new incarnation, consumes. */
  private async attach(info: StreamInfo): Promise<void> {
    const writer = this.writer!;
    writer.setCoversStream(checkFilter(this.config.filterSubjects, info));
    await this.serialized(() => this.enterIncarnation(info, writer));
    this.stream = await this.deps.bus.consume({
      stream: this.config.stream,
      durable: this.config.consumer,
      filterSubjects: this.config.filterSubjects,
      deliverFrom: { kind: "all" },
      ackWaitMs: this.config.ackWaitMs,
      maxAckPending: this.config.maxAckPending,
      batch: this.config.batch,
    });
    this.consuming = true;
  }

  private async enterIncarnation(info: StreamInfo, writer: ArchiveWriter): Promise<void> {
    const ledger = this.ledger!;
    await writer.flush();
    const reason = incarnationChange(ledger.identity, ledger.highest, info);
    if (!reason) return ledger.adopt(info.createdMs);
    const previous = { epoch: ledger.identity.epoch, archived_up_to_seq: ledger.highest };
    await writer.sealOpen(false);
    await ledger.startEpoch(info.createdMs);
    this.metrics.streamEpochs.inc({ feed: this.config.feed });
    this.logger.warn("new stream incarnation: new ledger epoch, sequences restart", {
      reason,
      previous,
      epoch: ledger.identity.epoch,
      stream_first_seq: info.firstSeq,
      stream_last_seq: info.lastSeq,
    });
  }

  /** Consumes; when the consumer ends while running (stream deleted or recreated), waits and re-attaches. */
  private async supervise(writer: ArchiveWriter, attached: boolean): Promise<void> {
    while (this.running && !this.failed) {
      if (!attached) {
        const info = await this.watch.until();
        if (!info || !this.running) return;
        try {
          await this.attach(info);
        } catch (error) {
          // a stream deleted again before the consumer opened: wait again; anything else is fatal
          if (error instanceof ConfigError || (await this.watch.check())) return this.fail(error);
          continue;
        }
        if (!this.running) return this.stream?.close(); // stopped while the consumer opened
      }
      attached = false;
      const error = await this.consume(this.stream!, writer);
      this.consuming = false;
      if (!this.running || this.failed) return;
      const info = await this.watch.check();
      if (error && info && !this.incarnationChanged(info)) return this.fail(error);
      this.logger.warn("consumer ended; waiting for the stream", {
        reason: this.watch.reason ?? "recreated",
      });
      await new Promise((resolve) => setTimeout(resolve, REATTACH_PAUSE_MS));
    }
  }

  /** Periodic: a deleted or recreated stream ends the consumer, so supervise() re-attaches. */
  private async checkStream(): Promise<void> {
    if (!this.consuming || this.checking) return;
    this.checking = true;
    try {
      const info = await this.deps.bus.streamInfo(this.config.stream);
      if (this.consuming && (!info || this.incarnationChanged(info))) {
        this.consuming = false;
        await this.stream?.close();
      }
    } catch {
      // unreachable server: the bus reconnects; nothing to decide now
    } finally {
      this.checking = false;
    }
  }

  private incarnationChanged(info: StreamInfo): boolean {
    const ledger = this.ledger!;
    return incarnationChange(ledger.identity, ledger.highest, info) !== undefined;
  }

  /** Runs `work` while nothing else writes (tick and intake wait for `inflight`). */
  private async serialized(work: () => Promise<void>): Promise<void> {
    while (this.inflight) await this.inflight;
    const run = work();
    this.inflight = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } finally {
      this.inflight = undefined;
    }
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
      lag: this.lag(),
      openFile: this.writer?.openFileName,
      salvaged: this.salvaged,
      running: this.running,
      ledgerEpoch: this.ledger?.identity.epoch ?? 0,
      waiting: this.waitingReason(),
    };
  }

  private lag(): number {
    return this.last?.pending ?? 0;
  }

  failure(): Error | undefined {
    return this.failed;
  }

  ready(): boolean {
    return this.running && this.consuming && !this.failed && this.deps.bus.isConnected();
  }

  waitingReason(): string | undefined {
    return this.consuming ? undefined : this.watch.reason;
  }

  /** Feeds the writer until the stream ends; returns the bus error that ended it, if any. */
  private async consume(stream: MessageStream, writer: ArchiveWriter): Promise<unknown> {
    const messages = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<BusMessage>;
      try {
        next = await messages.next();
      } catch (error) {
        return error;
      }
      if (next.done) return undefined;
      try {
        const first = this.handle(writer, next.value);
        if (first) await first;
        // whatever else has arrived is handled without a promise per message
        for (
          let ready = stream.takeReady?.(INTAKE_BATCH);
          ready?.length;
          ready = stream.takeReady?.(INTAKE_BATCH)
        ) {
          for (const msg of ready) {
            const work = this.handle(writer, msg);
            if (work) await work;
          }
        }
      } catch (error) {
        this.fail(error);
        return undefined;
      }
    }
  }

  private handle(writer: ArchiveWriter, msg: BusMessage): Promise<void> | undefined {
    this.last = msg;
    if (this.inflight) return this.inflight.then(() => this.handle(writer, msg));
    const work = writer.handle(msg);
    if (!work) return undefined;
    this.inflight = work;
    return work.finally(() => {
      this.inflight = undefined;
    });
  }

  private tick(): void {
    const writer = this.writer;
    if (this.inflight || !writer || this.failed) return;
    this.metrics.uploadsPending.set({ bucket: this.config.bucketLabel }, this.spool.pending);
    const lag = this.lag();
    this.metrics.lag.set({ feed: this.config.feed }, lag);
    const work = writer.tick(lag === 0);
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
