/**
 * Replay timing from the records' own receive times (rt), never from their content order:
 * at 1x the gaps between messages are the original ones, at 10x a tenth, at `max` none.
 * The wall clock only decides *when* to send; what is sent, and in which order, is fixed.
 */
import { ValidationError } from "../../core/errors.js";

export type ReplaySpeed = number | "max";

export function parseSpeed(text: string): ReplaySpeed {
  const trimmed = text
    .trim()
    .toLowerCase()
    .replace(/(\d)x$/, "$1");
  if (trimmed === "max") return "max";
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value <= 0 || value > 100_000) {
    throw new ValidationError(`invalid speed '${text}'`, ["use 1, 10, any positive factor, or max"]);
  }
  return value;
}

export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Waits until a record with receive time `rtUs` is due. Sleeps only when ≥ 1 ms ahead. */
export class Pacer {
  private firstRt: number | undefined;
  private startMs = 0;

  constructor(
    private readonly speed: ReplaySpeed,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Restart the time origin (e.g. when the first client subscribes). */
  reset(): void {
    this.firstRt = undefined;
  }

  async wait(rtUs: number): Promise<void> {
    if (this.speed === "max") return;
    if (this.firstRt === undefined) {
      this.firstRt = rtUs;
      this.startMs = this.clock.nowMs();
      return;
    }
    const dueMs = this.startMs + (rtUs - this.firstRt) / 1000 / this.speed;
    const aheadMs = dueMs - this.clock.nowMs();
    if (aheadMs >= 1) await this.clock.sleep(aheadMs);
  }
}
