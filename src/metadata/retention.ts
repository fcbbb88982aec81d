/**
 * `transport.retention` in environment files: how long and how much the JetStream stream keeps.
 * Durations are written `30s`, `15m`, `24h`, `7d` (or `0` = unlimited); sizes `512MB`, `50GB`
 * or a plain byte count (units are binary: 1KB = 1024 bytes; `0` = no cap).
 */
import { z } from "zod";
import type { StreamSpec } from "../adapters/bus/types.js";
import { streamWildcard } from "../core/subjects.js";
import type { RetentionConfig } from "./types.js";

export const DEFAULT_RETENTION: RetentionConfig = {
  max_age_ms: 7 * 86_400_000,
  max_bytes: 0,
  max_messages: 0,
  duplicate_window_ms: 120_000,
  replicas: 1,
  storage: "file",
};

/** JetStream allows at most 5 replicas. */
export const MAX_REPLICAS = 5;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** Milliseconds for `30s|15m|24h|7d|250ms` or `0`; undefined when the text is not a duration. */
export function parseDurationMs(value: string | number): number | undefined {
  if (value === 0 || value === "0") return 0;
  if (typeof value !== "string") return undefined;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ""] ?? Number.NaN);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Bytes for `512MB|50GB|1024` (a plain integer is bytes); undefined when not a size. */
export function parseSizeBytes(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+)\s*(B|KB|MB|GB|TB)?$/i.exec(value.trim());
  if (!match) return undefined;
  const bytes = Number(match[1]) * (SIZE_UNITS[(match[2] ?? "B").toUpperCase()] ?? Number.NaN);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `7d` for 604800000, `90s` for 90000: the largest unit that divides evenly. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "unlimited";
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = DURATION_UNITS_MS[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `50GB` for 53687091200, `0` → `no cap`. */
export function formatSize(bytes: number): string {
  if (bytes === 0) return "no cap";
  for (const unit of ["TB", "GB", "MB", "KB"] as const) {
    const size = SIZE_UNITS[unit] ?? 1;
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}B`;
}

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDurationMs(value);
  if (ms !== undefined) return ms;
  ctx.addIssue({
    code: "custom",
    message: `must be a duration like 30s, 15m, 24h or 7d (got ${JSON.stringify(value)})`,
  });
  return z.NEVER;
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSizeBytes(value);
  if (bytes !== undefined) return bytes;
  ctx.addIssue({
    code: "custom",
    message: `must be a size like 512MB or 50GB, or a byte count (got ${JSON.stringify(value)})`,
  });
  return z.NEVER;
});

/** The YAML block; every field optional, defaults from DEFAULT_RETENTION. */
export const retentionShape = z
  .strictObject({
    max_age: duration.optional(),
    max_bytes: size.optional(),
    max_messages: z.number().int().min(0, { message: "must be 0 (no cap) or more" }).optional(),
    duplicate_window: duration.optional(),
    replicas: z
      .number()
      .int()
      .min(1)
      .max(MAX_REPLICAS, { message: `must be 1 to ${MAX_REPLICAS}` })
      .optional(),
    storage: z.enum(["file", "memory"]).optional(),
  })
  .transform((block, ctx): RetentionConfig => {
    const resolved: RetentionConfig = {
      max_age_ms: block.max_age ?? DEFAULT_RETENTION.max_age_ms,
      max_bytes: block.max_bytes ?? DEFAULT_RETENTION.max_bytes,
      max_messages: block.max_messages ?? DEFAULT_RETENTION.max_messages,
      duplicate_window_ms: block.duplicate_window ?? DEFAULT_RETENTION.duplicate_window_ms,
      replicas: block.replicas ?? DEFAULT_RETENTION.replicas,
      storage: block.storage ?? DEFAULT_RETENTION.storage,
    };
    if (resolved.duplicate_window_ms === 0) {
      ctx.addIssue({ code: "custom", path: ["duplicate_window"], message: "must be more than 0" });
    }
    if (resolved.max_age_ms > 0 && resolved.duplicate_window_ms > resolved.max_age_ms) {
      const message = `must not exceed max_age (${formatDuration(resolved.max_age_ms)})`;
      ctx.addIssue({ code: "custom", path: ["duplicate_window"], message });
    }
    return resolved;
  });

/** The retention in force for a transport: its own block, or the defaults when it has none. */
export function effectiveRetention(transport: { retention?: RetentionConfig | undefined }): RetentionConfig {
  return transport.retention ?? DEFAULT_RETENTION;
}

/** One line for logs and checklists: `max_age 7d, max_bytes 50GB, ...`. */
export function describeRetention(retention: RetentionConfig): string {
  return [
    `max_age ${formatDuration(retention.max_age_ms)}`,
    `max_bytes ${formatSize(retention.max_bytes)}`,
    `max_messages ${retention.max_messages === 0 ? "no cap" : retention.max_messages}`,
    `duplicate_window ${formatDuration(retention.duplicate_window_ms)}`,
    `replicas ${retention.replicas}`,
    `storage ${retention.storage}`,
  ].join(", ");
}

/** The JetStream stream an environment's transport asks for: `{prefix}.>` with its retention. */
export function streamSpecFor(transport: {
  stream: string;
  subject_prefix: string;
  retention?: RetentionConfig | undefined;
}): StreamSpec {
  const retention = effectiveRetention(transport);
  return {
    name: transport.stream,
    subjects: [streamWildcard(transport.subject_prefix)],
    storage: retention.storage,
    maxAgeMs: retention.max_age_ms,
    maxBytes: retention.max_bytes,
    maxMessages: retention.max_messages,
    duplicateWindowMs: retention.duplicate_window_ms,
    replicas: retention.replicas,
  };
}
