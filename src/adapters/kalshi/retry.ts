/**
 * Retry policy for Kalshi REST calls: exponential backoff with jitter on 429, 5xx and
 * network failures. Pure arithmetic; the caller sleeps.
 */
import { ValidationError } from "../../core/errors.js";

export interface RetryPolicy {
  /** Total attempts including the first one (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

export function validateRetryPolicy(policy: RetryPolicy): RetryPolicy {
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    problems.push(`maxAttempts must be an integer >= 1 (got ${policy.maxAttempts})`);
  }
  if (!(policy.baseDelayMs >= 0)) problems.push(`baseDelayMs must be >= 0 (got ${policy.baseDelayMs})`);
  if (!(policy.maxDelayMs >= policy.baseDelayMs)) {
    problems.push(`maxDelayMs must be >= baseDelayMs (got ${policy.maxDelayMs})`);
  }
  if (problems.length > 0) throw new ValidationError("invalid retry policy", problems);
  return policy;
}

/** HTTP statuses worth another try: rate limited, or the server/edge failed. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || (status >= 500 && status <= 599);
}

/**
 * Delay before retry number `retry` (1 = first retry): base·2^(retry-1), capped at max, then
 * "equal jitter" — uniformly in [delay/2, delay] — so clients that failed together spread out.
 */
export function backoffDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}
