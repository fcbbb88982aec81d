/**
 * Waits until a stream exists, retrying with backoff, so a reader (archiver, gateway) started
 * before the connector has created the stream waits instead of exiting. While waiting, `reason`
 * says why the stream cannot be read (for /health); a warn line goes out about every 10 s;
 * stop() ends a wait at once (SIGTERM during the wait is a clean exit).
 */
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../log.js";
import type { Bus, StreamInfo } from "./types.js";

export interface StreamWaitTiming {
  firstDelayMs: number;
  maxDelayMs: number;
  warnEveryMs: number;
}

export const DEFAULT_STREAM_WAIT: StreamWaitTiming = {
  firstDelayMs: 200,
  maxDelayMs: 5_000,
  warnEveryMs: 10_000,
};

export class StreamWait {
  /** Why the stream cannot be read now; undefined once a look found it. */
  reason: string | undefined;
  private stopped = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly stream: string,
    private readonly logger: Logger,
    private readonly timing: StreamWaitTiming = DEFAULT_STREAM_WAIT,
  ) {}

  /** One look: the stream's info when it exists now, else undefined (and `reason` says why). */
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
    let waited = false;
    while (!this.stopped) {
      const info = await this.check();
      if (info) {
        if (waited)
          this.logger.info("stream found", { stream: this.stream, waited_ms: Date.now() - startedMs });
        return info;
      }
      waited = true;
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
    this.wakeSleeper?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
  }
}
