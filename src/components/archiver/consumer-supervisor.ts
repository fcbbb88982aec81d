/**
 * The archiver's consumer: attaches to the stream (filter check, ledger epoch for a new stream
 * incarnation, durable pull consumer), feeds it to the intake, and re-attaches when it ends while
 * running — the stream was deleted, or deleted and recreated. A periodic check ends the consumer
 * of a stream that is gone or recreated, so the same loop re-attaches.
 */
import type { StreamWait } from "../../adapters/bus/stream-wait.js";
import type { Bus, MessageStream, StreamInfo } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { ConfigError } from "../../core/errors.js";
import type { ArchiveWriter } from "./archive-writer.js";
import type { ArchiverConfig } from "./config.js";
import { checkFilter } from "./filter-check.js";
import type { Intake } from "./intake.js";
import type { ArchiverMetrics } from "./metrics.js";
import type { SeqLedger } from "./seq-ledger.js";
import { incarnationChange } from "./stream-incarnation.js";

/** Pause before re-opening a consumer that ended (no busy loop if it keeps ending). */
const REATTACH_PAUSE_MS = 200;

/** What the supervisor reads of, and reports to, the archiver that owns it. */
export interface SupervisorHost {
  isRunning(): boolean;
  hasFailed(): boolean;
  fail(error: unknown): void;
}

export interface SupervisorParts {
  config: ArchiverConfig;
  bus: Bus;
  logger: Logger;
  metrics: ArchiverMetrics;
  watch: StreamWait;
  ledger: SeqLedger;
  writer: ArchiveWriter;
  intake: Intake;
  host: SupervisorHost;
}

export class ConsumerSupervisor {
  private stream: MessageStream | undefined;
  private consumingNow = false;
  private checking = false;

  constructor(private readonly parts: SupervisorParts) {}

  /** True while a consumer is open and feeding the intake. */
  get consuming(): boolean {
    return this.consumingNow;
  }

  /** Closes the open consumer, if any (its intake loop then ends). */
  async close(): Promise<void> {
    await this.stream?.close();
  }

  /** Checks the filter against the stream, starts a ledger epoch for a new incarnation, consumes. */
  async attach(info: StreamInfo): Promise<void> {
    const { config, writer, intake } = this.parts;
    writer.setCoversStream(checkFilter(config.filterSubjects, info));
    await intake.serialized(() => this.enterIncarnation(info));
    this.stream = await this.parts.bus.consume({
      stream: config.stream,
      durable: config.consumer,
      filterSubjects: config.filterSubjects,
      deliverFrom: { kind: "all" },
      ackWaitMs: config.ackWaitMs,
      maxAckPending: config.maxAckPending,
      batch: config.batch,
    });
    this.consumingNow = true;
  }

  /** Consumes; when the consumer ends while running (stream deleted or recreated), waits and re-attaches. */
  async supervise(attached: boolean): Promise<void> {
    const { watch, host } = this.parts;
    while (host.isRunning() && !host.hasFailed()) {
      if (!attached) {
        const info = await watch.until();
        if (!info || !host.isRunning()) return;
        try {
          await this.attach(info);
        } catch (error) {
          // a stream deleted again before the consumer opened: wait again; anything else is fatal
          if (error instanceof ConfigError || (await watch.check())) return host.fail(error);
          continue;
        }
        if (!host.isRunning()) return this.stream?.close(); // stopped while the consumer opened
      }
      attached = false;
      const error = await this.parts.intake.consume(this.stream!);
      this.consumingNow = false;
      if (!host.isRunning() || host.hasFailed()) return;
      const info = await watch.check();
      if (error && info && !this.incarnationChanged(info)) return host.fail(error);
      this.parts.logger.warn("consumer ended; waiting for the stream", {
        reason: watch.reason ?? "recreated",
      });
      await new Promise((resolve) => setTimeout(resolve, REATTACH_PAUSE_MS));
    }
  }

  /** Periodic: a deleted or recreated stream ends the consumer, so supervise() re-attaches. */
  async checkStream(): Promise<void> {
    if (!this.consumingNow || this.checking) return;
    this.checking = true;
    try {
      const info = await this.parts.bus.streamInfo(this.parts.config.stream);
      if (this.consumingNow && (!info || this.incarnationChanged(info))) {
        this.consumingNow = false;
        await this.stream?.close();
      }
    } catch {
      // unreachable server: the bus reconnects; nothing to decide now
    } finally {
      this.checking = false;
    }
  }

  private async enterIncarnation(info: StreamInfo): Promise<void> {
    const { ledger, writer } = this.parts;
    await writer.flush();
    const reason = incarnationChange(ledger.identity, ledger.highest, info);
    if (!reason) return ledger.adopt(info.createdMs);
    const previous = { epoch: ledger.identity.epoch, archived_up_to_seq: ledger.highest };
    await writer.sealOpen(false);
    await ledger.startEpoch(info.createdMs);
    this.parts.metrics.streamEpochs.inc({ feed: this.parts.config.feed });
    this.parts.logger.warn("new stream incarnation: new ledger epoch, sequences restart", {
      reason,
      previous,
      epoch: ledger.identity.epoch,
      stream_first_seq: info.firstSeq,
      stream_last_seq: info.lastSeq,
    });
  }

  private incarnationChanged(info: StreamInfo): boolean {
    const { ledger } = this.parts;
    return incarnationChange(ledger.identity, ledger.highest, info) !== undefined;
  }
}
