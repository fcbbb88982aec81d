/**
 * Token bucket shared by every REST call of one client. Callers wait in FIFO order.
 * A 429 halves the refill rate (never below `minRate`) and empties the bucket; each success
 * afterwards adds back 5% of the configured rate until the configured rate is reached again.
 * Clock and sleep are injected so tests run on a fake clock.
 */
import { ValidationError } from "../../core/errors.js";

export interface RateLimit {
  /** Sustained requests per second. */
  requestsPerSecond: number;
  /** Bucket capacity: requests that may go out back to back after an idle period. */
  burst: number;
}

export interface LimiterClock {
  /** Milliseconds; only differences matter. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const SLOWDOWN_FACTOR = 0.5;
const RECOVERY_STEP = 0.05;
const MIN_RATE_FRACTION = 1 / 64;

export function validateRateLimit(limit: RateLimit): RateLimit {
  const problems: string[] = [];
  if (!(limit.requestsPerSecond > 0) || !Number.isFinite(limit.requestsPerSecond)) {
    problems.push(`requestsPerSecond must be a positive number (got ${limit.requestsPerSecond})`);
  }
  if (!Number.isInteger(limit.burst) || limit.burst < 1) {
    problems.push(`burst must be an integer >= 1 (got ${limit.burst})`);
  }
  if (problems.length > 0) throw new ValidationError("invalid rate limit", problems);
  return limit;
}

export class TokenBucket {
  readonly configuredRate: number;
  readonly capacity: number;
  private rate: number;
  private tokens: number;
  private refilledAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    limit: RateLimit,
    private readonly clock: LimiterClock,
  ) {
    validateRateLimit(limit);
    this.configuredRate = limit.requestsPerSecond;
    this.rate = limit.requestsPerSecond;
    this.capacity = limit.burst;
    this.tokens = limit.burst;
    this.refilledAt = clock.now();
  }

  /** Current refill rate in requests per second (lower than configured after a 429). */
  get currentRate(): number {
    return this.rate;
  }

  /** Resolves when one token has been taken. Waiters are served in call order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.take());
    this.queue = turn;
    return turn;
  }

  /** The server said 429: halve the rate and start from an empty bucket. */
  slowDown(): void {
    this.refill();
    this.rate = Math.max(this.configuredRate * MIN_RATE_FRACTION, this.rate * SLOWDOWN_FACTOR);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** A request succeeded: creep back towards the configured rate. */
  recordSuccess(): void {
    if (this.rate >= this.configuredRate) return;
    this.refill();
    this.rate = Math.min(this.configuredRate, this.rate + this.configuredRate * RECOVERY_STEP);
  }

  private async take(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      const waitMs = Math.ceil(((1 - this.tokens) / this.rate) * 1000);
      await this.clock.sleep(waitMs);
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsedMs = Math.max(0, now - this.refilledAt);
    this.refilledAt = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs / 1000) * this.rate);
  }
}
