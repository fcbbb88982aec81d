/** Validates a manifest read back from disk or S3 (unknown → DayManifest) with zod. */
import { z } from "zod";
import { ParseError } from "./errors.js";
import type { DayManifest } from "./manifest.js";

const fileSchema = z.object({
  name: z.string(),
  start: z.string(),
  end: z.string(),
  records: z.number().int().nonnegative(),
  records_by_channel: z.record(z.string(), z.number()),
  bytes_compressed: z.number(),
  bytes_raw: z.number(),
  sha256: z.string(),
  first_seq: z.number(),
  last_seq: z.number(),
  first_rt: z.number(),
  last_rt: z.number(),
  salvaged: z.boolean().optional(),
  stream_epoch: z.number().int().nonnegative().optional(),
});

const gapSchema = z.object({
  type: z.enum(["ssmd_gap", "ssmd_disconnect"]),
  reason: z.string(),
  source: z.enum(["connector", "archiver"]),
  sid: z.number().nullable(),
  from_seq: z.number().nullable(),
  to_seq: z.number().nullable(),
  tickers: z.array(z.string()),
  started_at: z.string(),
  ended_at: z.string().nullable(),
  lost: z.number().optional(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  feed: z.string(),
  date: z.string(),
  status: z.enum(["open", "complete", "partial"]),
  quality: z.object({
    score: z.number(),
    coverage: z.number(),
    gaps: z.number(),
    duplicates_dropped: z.number(),
    parse_errors: z.number(),
  }),
  records: z.number(),
  files: z.array(fileSchema),
  tickers: z.array(z.string()),
  channels: z.array(z.string()),
  gaps: z.array(gapSchema),
  duplicates_dropped: z.number(),
  parse_errors: z.number(),
  covered: z.array(z.tuple([z.string(), z.string()])),
  updated_at: z.string(),
});

export function parseManifest(value: unknown, where: string): DayManifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ParseError(`invalid manifest ${where}: ${problems.slice(0, 5).join("; ")}`);
  }
  return result.data as DayManifest;
}

export function parseManifestText(text: string, where: string): DayManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`manifest ${where} is not JSON`, { cause: error });
  }
  return parseManifest(value, where);
}
