/**
 * The Publisher's retry policy: which publish failures a retry can fix, and how long to wait
 * before the next attempt.
 */
import { ConfigError, ValidationError } from "../../core/errors.js";
import type { PublisherOptions } from "./publisher-types.js";

/** Errors a retry cannot fix: the bus refused this message (as opposed to being unreachable). */
export function isPermanentRefusal(error: unknown): boolean {
  return error instanceof ValidationError || error instanceof ConfigError;
}

/**
 * Delay before the next attempt after `failures` consecutive failures (≥ 1): exponential from
 * retryBaseMs, capped at retryMaxMs, with jitter in [½, 1] of the step.
 */
export function retryDelayMs(failures: number, options: PublisherOptions): number {
  const ceiling = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** (failures - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
