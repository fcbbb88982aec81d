/**
 * The archiver's resolved configuration (built by the CLI from --config YAML or --env) and the
 * zod schema of the YAML file:
 *   nats:    { url, stream, consumer, filter }          filter: a subject or a list
 *   storage: { path } | { type: s3, endpoint, bucket, prefix, region, spool? }
 *   rotation: { interval: 15m }
 *   feed?, fsync?: { interval_ms, messages }, delete_local_after_upload?, listen?
 */
import { z } from "zod";
import { parseInterval } from "../../core/archive-paths.js";
import { ValidationError } from "../../core/errors.js";

export interface ArchiverConfig {
  feed: string;
  stream: string;
  consumer: string;
  filterSubjects: string[];
  /** Subject prefix for the archiver's own gap records ({prefix}.status.gap). */
  subjectPrefix: string;
  /** Local directory for `.tmp` files and sealed files: the archive root (local) or the spool (S3). */
  workDir: string;
  rotationMs: number;
  fsyncIntervalMs: number;
  fsyncMessages: number;
  maxAckPending: number;
  batch: number;
  ackWaitMs: number;
  /** Per-day Nats-Msg-Id set cap; the oldest ids are forgotten beyond it. */
  dedupeMaxIds: number;
  deleteLocalAfterUpload: boolean;
  /** Metrics label: bucket name, or "local". */
  bucketLabel: string;
  /** Validate every frame with a full JSON scan (core/archive-line-check.ts), not only its first and last byte. */
  strictFrames: boolean;
  compressionLevel: number;
  /** After a window ends, wait this long for stragglers before sealing (only when caught up). */
  sealGraceMs: number;
  /** How often the running archiver checks that its stream is the same incarnation. Default 2000. */
  streamCheckMs?: number;
}

export const ARCHIVER_DEFAULTS = {
  fsyncIntervalMs: 1000,
  fsyncMessages: 10_000,
  maxAckPending: 40_000,
  batch: 2000,
  ackWaitMs: 30_000,
  dedupeMaxIds: 2_000_000,
  deleteLocalAfterUpload: false,
  strictFrames: true,
  compressionLevel: 6,
  sealGraceMs: 2000,
} as const;

const filterSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const storageSchema = z.union([
  z.object({ type: z.literal("local").optional(), path: z.string().min(1) }).strict(),
  z
    .object({
      type: z.literal("s3"),
      bucket: z.string().min(1),
      region: z.string().min(1).default("us-east-1"),
      endpoint: z.string().url().optional(),
      prefix: z.string().optional(),
      force_path_style: z.boolean().optional(),
      spool: z.string().min(1).optional(),
      multipart_threshold_bytes: z.number().int().positive().optional(),
    })
    .strict(),
]);

export const archiverFileSchema = z
  .object({
    nats: z
      .object({
        url: z.string().min(1),
        stream: z.string().min(1),
        consumer: z.string().min(1).default("archiver"),
        filter: filterSchema,
        /** Redelivery after this long without ack. Default 30 s. */
        ack_wait_ms: z.number().int().min(500).optional(),
        max_ack_pending: z.number().int().min(1).optional(),
      })
      .strict(),
    storage: storageSchema,
    rotation: z
      .object({ interval: z.union([z.string(), z.number()]).default("15m") })
      .strict()
      .default({ interval: "15m" }),
    feed: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/i)
      .optional(),
    fsync: z
      .object({
        interval_ms: z.number().int().min(1).max(1000).optional(),
        messages: z.number().int().min(1).optional(),
      })
      .strict()
      .optional(),
    delete_local_after_upload: z.boolean().optional(),
    listen: z.string().optional(),
    compression_level: z.number().int().min(1).max(9).optional(),
    dedupe_max_ids: z.number().int().min(1000).optional(),
  })
  .strict();

export type ArchiverFile = z.infer<typeof archiverFileSchema>;

export function parseArchiverFile(value: unknown, where: string): ArchiverFile {
  const result = archiverFileSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
  );
  throw new ValidationError(`invalid archiver config ${where}`, problems);
}

/** The subject prefix of a filter: "prod.kalshi.>" → "prod.kalshi"; "prod.kalshi.json.*.X" → "prod.kalshi". */
export function prefixOfFilter(filter: string): string {
  const tokens = filter.split(".");
  const marker = tokens.findIndex((token) => token === "json" || token === "status" || token === "secmaster");
  if (marker > 0) return tokens.slice(0, marker).join(".");
  const wild = tokens.findIndex((token) => token === ">" || token === "*");
  return tokens.slice(0, wild < 0 ? tokens.length : wild).join(".");
}

/** Feed name default: the second token of the subject prefix ("prod.kalshi" → "kalshi"). */
export function feedOfPrefix(prefix: string): string {
  const tokens = prefix.split(".");
  return tokens[1] ?? tokens[0] ?? "feed";
}

export function rotationMsOf(interval: string | number): number {
  return typeof interval === "number" ? parseInterval(`${interval}s`) : parseInterval(interval);
}
