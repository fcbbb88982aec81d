/**
 * Checks stream and consumer specs before either bus acts on them, so both implementations
 * refuse the same bad input with the same ConfigError (every problem listed).
 */
import { ConfigError } from "../../core/errors.js";
import { isValidSubjectPattern } from "./subject-match.js";
import type { ConsumerSpec, StreamSpec } from "./types.js";

const NAME = /^[A-Za-z0-9_-]+$/;

/** Defaults both buses apply when a spec leaves these out (JetStream's own defaults). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 120_000;
export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_MAX_ACK_PENDING = 1000;

/** The duplicate window a stream gets: the spec's (default 2 min), never longer than maxAge. */
export function duplicateWindowOf(spec: StreamSpec): number {
  const window = spec.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  return spec.maxAgeMs && spec.maxAgeMs > 0 ? Math.min(window, spec.maxAgeMs) : window;
}

export function validateStreamSpec(spec: StreamSpec): void {
  const problems: string[] = [];
  if (!NAME.test(spec.name)) problems.push(`stream name '${spec.name}' must match ${NAME.source}`);
  if (spec.subjects.length === 0) problems.push("a stream needs at least one subject");
  for (const subject of spec.subjects) {
    if (!isValidSubjectPattern(subject)) problems.push(`invalid subject '${subject}'`);
  }
  for (const key of ["maxAgeMs", "maxBytes", "maxMessages", "duplicateWindowMs"] as const) {
    const value = spec[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(`${key} must be a non-negative integer, got ${value}`);
    }
  }
  if (spec.replicas !== undefined && !(Number.isInteger(spec.replicas) && spec.replicas >= 1)) {
    problems.push(`replicas must be an integer >= 1, got ${spec.replicas}`);
  }
  throwIfAny(`invalid stream spec '${spec.name}'`, problems);
}

export function validateConsumerSpec(spec: ConsumerSpec): void {
  const problems: string[] = [];
  if (spec.durable !== undefined && !NAME.test(spec.durable)) {
    problems.push(`durable name '${spec.durable}' must match ${NAME.source}`);
  }
  for (const subject of spec.filterSubjects ?? []) {
    if (!isValidSubjectPattern(subject)) problems.push(`invalid filter subject '${subject}'`);
  }
  for (const key of ["ackWaitMs", "maxAckPending", "batch"] as const) {
    const value = spec[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
      problems.push(`${key} must be an integer >= 1, got ${value}`);
    }
  }
  const from = spec.deliverFrom;
  if (from?.kind === "seq" && !(Number.isInteger(from.seq) && from.seq >= 1)) {
    problems.push(`deliverFrom.seq must be an integer >= 1, got ${from.seq}`);
  }
  if (from?.kind === "time" && !Number.isFinite(from.atMs)) problems.push("deliverFrom.atMs must be a time");
  throwIfAny(`invalid consumer spec for stream '${spec.stream}'`, problems);
}

function throwIfAny(message: string, problems: string[]): void {
  if (problems.length > 0) throw new ConfigError(`${message}: ${problems.join("; ")}`, { details: problems });
}
