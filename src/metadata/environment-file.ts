/**
 * Rules for `environments/<name>.yaml` (contract §2): shape, defaults, accepted alternate
 * spellings (`transport.transport_type`, `storage.storage_type`), and the default subject prefix.
 */
import { z } from "zod";
import { defaultPrefix } from "../core/subjects.js";
import { nameProblems, renameKey } from "./feed-file.js";
import { clockTime, fileName, nonEmpty, SCHEMA_REF, url } from "./field-rules.js";
import { KEY_SOURCE } from "./key-source.js";
import { type Problem, problemsFromZod } from "./problems.js";
import { retentionShape } from "./retention.js";
import type { EnvironmentConfig } from "./types.js";
import type { YamlFile } from "./yaml-file.js";

export const DEFAULT_CHANNELS = ["ticker", "trade", "orderbook_delta", "market_lifecycle_v2"];

const keySpec = z.strictObject({
  type: nonEmpty.default("api_key"),
  required: z.boolean().default(true),
  fields: z.array(nonEmpty).default([]),
  source: z.string().regex(KEY_SOURCE, {
    message: "must be env:VAR[,VAR], sealed-secret:namespace/name or file:path",
  }),
});

const subjectPrefix = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
  message: "must be dot-separated tokens without '*', '>' or spaces",
});
const streamName = z.string().regex(/^[A-Za-z0-9_-]+$/, { message: "must be letters, digits, '_' or '-'" });

const transport = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("nats"),
    url: url(["nats", "tls", "ws", "wss"]),
    stream: streamName,
    subject_prefix: subjectPrefix.optional(),
    retention: retentionShape.optional(),
  }),
  z.strictObject({
    type: z.literal("memory"),
    stream: streamName.optional(),
    subject_prefix: subjectPrefix.optional(),
    retention: retentionShape.optional(),
  }),
]);

const storage = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("local"), path: nonEmpty }),
  z.strictObject({
    type: z.literal("s3"),
    endpoint: url(["http", "https"]).optional(),
    bucket: nonEmpty,
    region: nonEmpty,
    prefix: z.string().optional(),
    force_path_style: z.boolean().optional(),
  }),
]);

const environmentShape = z.strictObject({
  name: fileName,
  description: z.string().optional(),
  feed: fileName,
  schema: z.string().regex(SCHEMA_REF, { message: "must be name:version, e.g. trade:v1" }),
  schedule: z
    .strictObject({
      timezone: nonEmpty,
      day_start: clockTime,
      day_end: clockTime,
      auto_roll: z.boolean().default(true),
    })
    .optional(),
  keys: z.record(z.string(), keySpec).default({}),
  subscription: z
    .strictObject({
      channels: z.array(nonEmpty).default(DEFAULT_CHANNELS),
      categories: z.array(nonEmpty).default([]),
      series: z.array(nonEmpty).default([]),
      tickers: z.array(nonEmpty).optional(),
      max_markets_per_connection: z.number().int().positive().default(200),
    })
    .default({ channels: DEFAULT_CHANNELS, categories: [], series: [], max_markets_per_connection: 200 }),
  transport,
  storage,
  secmaster: z
    .strictObject({
      url: z
        .string()
        .regex(/^(postgres(ql)?:\/\/|pglite:)/, { message: "must be postgres://... or pglite:PATH" }),
    })
    .optional(),
  cache: z.strictObject({ type: z.literal("redis"), url: url(["redis", "rediss"]) }).optional(),
});

/** Validates a parsed environment file; `expectedName` is its file name without `.yaml`. */
export function checkEnvironmentFile(
  file: YamlFile,
  expectedName?: string,
): { environment?: EnvironmentConfig; problems: Problem[] } {
  const result = environmentShape.safeParse(acceptSpellings(file.value), { reportInput: true });
  const naming = nameProblems(file, expectedName);
  if (!result.success) return { problems: [...naming, ...problemsFromZod(file, result.error.issues)] };
  const data = result.data;
  const prefix = data.transport.subject_prefix ?? defaultPrefix(data.name, data.feed);
  const stream = data.transport.stream ?? data.name.toUpperCase().replace(/-/g, "_");
  const environment = { ...data, transport: { ...data.transport, stream, subject_prefix: prefix } };
  delete environment.description;
  return { environment: environment as EnvironmentConfig, problems: naming };
}

function acceptSpellings(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const next = { ...record };
  if ("transport" in record) next.transport = renameKey(record.transport, "transport_type", "type");
  if ("storage" in record) {
    const renamed = renameKey(record.storage, "storage_type", "type");
    next.storage = fileMeansLocal(renamed);
  }
  return next;
}

/** The older `storage_type: file` spelling means local storage. */
function fileMeansLocal(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  return record.type === "file" ? { ...record, type: "local" } : value;
}
