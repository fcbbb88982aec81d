/**
 * The archiver's view of its stream: waits (with backoff) until the stream exists, so an archiver
 * started before the connector waits instead of exiting, and tells a new incarnation of the
 * stream (deleted and recreated: another creation time, or a last seq below what was archived)
 * from the one the seq ledger belongs to. While waiting, `reason` says why; a warn line goes out
 * about every 10 s; stop() ends a wait at once.
 */
import type { Bus, StreamInfo } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";
import type { LedgerIdentity } from "./seq-ledger.js";

export interface StreamWaitTiming {
  firstDelayMs: number;
  maxDelayMs: number;
  warnEveryMs: number;
}

export const DEFAULT_STREAM_WAIT: StreamWaitTiming = {
  firstDelayMs: 200,
  maxDelayMs: 5000,
  warnEveryMs: 10_000,
};

/** Why `info` is not the incarnation the ledger was written for; undefined when it is. */
export function incarnationChange(
  ledger: LedgerIdentity,
  archivedHighest: number,
  info: StreamInfo,
): string | undefined {
  const known = ledger.createdMs;
  if (known !== undefined && info.createdMs !== undefined && known !== info.createdMs) {
    const was = new Date(known).toISOString();
    return `stream '${info.name}' was recreated at ${new Date(info.createdMs).toISOString()} (ledger: ${was})`;
  }
  if (info.lastSeq < archivedHighest)
    return `stream '${info.name}' last seq ${info.lastSeq} is below the archived ${archivedHighest}`;
  return undefined;
}

export class StreamWatch {
  /** Why the stream cannot be read now; undefined while it is read. */
  reason: string | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly stream: string,
    private readonly logger: Logger,
    private readonly timing: StreamWaitTiming = DEFAULT_STREAM_WAIT,
  ) {}

  /** One look: the stream's info, or undefined (reason set) when it is missing or unreadable. */
  async check(): Promise<StreamInfo | undefined> {
    try {
      const info = await this.bus.streamInfo(this.stream);
      this.reason = info ? undefined : `stream '${this.stream}' does not exist yet (start the connector)`;
      return info;
    } catch (error) {
      this.reason = `cannot read stream '${this.stream}': ${errorMessage(error)}`;
      return undefined;
    }
  }

  /** The stream's info once it exists; undefined when stopped first. */
  async until(): Promise<StreamInfo | undefined> {
    let delayMs = this.timing.firstDelayMs;
    let lastWarnMs = Number.NEGATIVE_INFINITY;
    const startedMs = Date.now();
    while (!this.stopped) {
      const info = await this.check();
      if (info) {
        this.logger.info("stream found", { stream: this.stream, waited_ms: Date.now() - startedMs });
        return info;
      }
      if (Date.now() - lastWarnMs >= this.timing.warnEveryMs) {
        lastWarnMs = Date.now();
        const waitedS = Math.round((Date.now() - startedMs) / 1000);
        this.logger.warn("waiting for the stream", {
          stream: this.stream,
          reason: this.reason,
          waited_s: waitedS,
        });
      }
      await this.sleep(delayMs);
      delayMs = Math.min(delayMs * 2, this.timing.maxDelayMs);
    }
    return undefined;
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
