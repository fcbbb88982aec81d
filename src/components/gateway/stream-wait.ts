/**
 * Waits until the environment's stream exists (the connector creates it), retrying with
 * backoff: a gateway started before the connector waits instead of exiting. While waiting,
 * `reason` says why the feed is not running; a warn line goes out about every 10 s; stop()
 * ends the wait at once (SIGTERM during the wait is a clean exit).
 */
import type { Bus, StreamInfo } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";

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
  /** Why the stream cannot be read yet; undefined once it exists (or before the first check). */
  reason: string | undefined;
  private stopped = false;
  private wakeSleeper: (() => void) | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly stream: string,
    private readonly logger: Logger,
    private readonly timing: StreamWaitTiming = DEFAULT_STREAM_WAIT,
  ) {}

  /** The stream's info once it exists; undefined when stopped first. */
  async until(): Promise<StreamInfo | undefined> {
    let delayMs = this.timing.firstDelayMs;
    let lastWarnMs = Number.NEGATIVE_INFINITY;
    const startedMs = Date.now();
    while (!this.stopped) {
      const info = await this.check();
      if (info) {
        if (this.reason !== undefined)
          this.logger.info("stream found, reading", {
            stream: this.stream,
            waited_ms: Date.now() - startedMs,
          });
        this.reason = undefined;
        return info;
      }
      if (Date.now() - lastWarnMs >= this.timing.warnEveryMs) {
        lastWarnMs = Date.now();
        this.logger.warn("waiting for the stream", {
          stream: this.stream,
          reason: this.reason,
          waited_s: Math.round((Date.now() - startedMs) / 1000),
        });
      }
      await this.sleep(delayMs);
      delayMs = Math.min(delayMs * 2, this.timing.maxDelayMs);
    }
    return undefined;
  }

  /** One look: the stream's info when it exists now, else undefined (and `reason` says why). */
  async once(): Promise<StreamInfo | undefined> {
    return this.check();
  }

  stop(): void {
    this.stopped = true;
    this.wakeSleeper?.();
  }

  private async check(): Promise<StreamInfo | undefined> {
    try {
      const info = await this.bus.streamInfo(this.stream);
      if (!info) this.reason = `stream '${this.stream}' does not exist yet (start the connector)`;
      return info;
    } catch (error) {
      this.reason = `cannot read stream '${this.stream}': ${errorMessage(error)}`;
      return undefined;
    }
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
