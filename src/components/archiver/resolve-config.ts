/**
 * Resolves the archiver's config from a parsed `--config` file or from an environment
 * (`--env E --output DIR`): plain, validated objects for createArchiver and the store factory.
 */
import { resolve } from "node:path";
import { ConfigError, ValidationError } from "../../core/errors.js";
import { streamWildcard } from "../../core/subjects.js";
import type { EnvironmentConfig } from "../../metadata/types.js";
import {
  ARCHIVER_DEFAULTS,
  type ArchiverConfig,
  type ArchiverFile,
  feedOfPrefix,
  prefixOfFilter,
  rotationMsOf,
} from "./config.js";

export type StorageTarget =
  | { type: "local"; path: string }
  | {
      type: "s3";
      bucket: string;
      region: string;
      endpoint?: string;
      prefix?: string;
      forcePathStyle?: boolean;
      spool: string;
      multipartThresholdBytes?: number;
    };

export interface ResolvedArchiver {
  natsUrl: string;
  config: ArchiverConfig;
  storage: StorageTarget;
  listen?: string;
}

export interface Overrides {
  consumer?: string;
  rotation?: string;
  fsyncMessages?: number;
  fsyncIntervalMs?: number;
}

export function resolveFromFile(
  file: ArchiverFile,
  cwd: string,
  overrides: Overrides = {},
): ResolvedArchiver {
  const filters = Array.isArray(file.nats.filter) ? file.nats.filter : [file.nats.filter];
  const prefix = prefixOfFilter(filters[0]!);
  const feed = file.feed ?? feedOfPrefix(prefix);
  const storage = storageOf(file.storage, cwd, feed);
  const config: ArchiverConfig = {
    ...ARCHIVER_DEFAULTS,
    feed,
    stream: file.nats.stream,
    consumer: overrides.consumer ?? file.nats.consumer,
    ackWaitMs: file.nats.ack_wait_ms ?? ARCHIVER_DEFAULTS.ackWaitMs,
    maxAckPending: file.nats.max_ack_pending ?? ARCHIVER_DEFAULTS.maxAckPending,
    filterSubjects: filters,
    subjectPrefix: prefix,
    workDir: storage.type === "local" ? storage.path : storage.spool,
    rotationMs: rotationMsOf(overrides.rotation ?? file.rotation.interval),
    fsyncIntervalMs:
      overrides.fsyncIntervalMs ?? file.fsync?.interval_ms ?? ARCHIVER_DEFAULTS.fsyncIntervalMs,
    fsyncMessages: overrides.fsyncMessages ?? file.fsync?.messages ?? ARCHIVER_DEFAULTS.fsyncMessages,
    deleteLocalAfterUpload: file.delete_local_after_upload ?? false,
    bucketLabel: storage.type === "s3" ? storage.bucket : "local",
    compressionLevel: file.compression_level ?? ARCHIVER_DEFAULTS.compressionLevel,
    dedupeMaxIds: file.dedupe_max_ids ?? ARCHIVER_DEFAULTS.dedupeMaxIds,
  };
  if (config.fsyncMessages * 2 > config.maxAckPending) {
    throw new ValidationError("fsync messages too large for the consumer window", [
      `fsync.messages (${config.fsyncMessages}) must be at most half of nats.max_ack_pending (${config.maxAckPending}),`,
      "otherwise the server stops delivering before a batch fills and intake stalls until the fsync interval",
    ]);
  }
  if (config.fsyncIntervalMs > 1000) {
    throw new ValidationError("fsync interval must be at most 1000 ms", [`got ${config.fsyncIntervalMs}`]);
  }
  return { natsUrl: file.nats.url, config, storage, listen: file.listen };
}

/** `--env E --output DIR`: stream, prefix and feed from the environment; files under DIR. */
export function resolveFromEnvironment(
  env: EnvironmentConfig,
  output: string | undefined,
  cwd: string,
  overrides: Overrides = {},
): ResolvedArchiver {
  if (env.transport.type !== "nats") {
    throw new ConfigError(
      `environment '${env.name}' uses transport '${env.transport.type}'; the archiver needs nats`,
    );
  }
  const prefix = env.transport.subject_prefix;
  const storage: ArchiverFile["storage"] = output
    ? { path: output }
    : env.storage.type === "local"
      ? { path: env.storage.path }
      : {
          type: "s3",
          bucket: env.storage.bucket,
          region: env.storage.region,
          endpoint: env.storage.endpoint,
          prefix: env.storage.prefix,
          force_path_style: env.storage.force_path_style,
        };
  const file: ArchiverFile = {
    nats: {
      url: env.transport.url,
      stream: env.transport.stream,
      consumer: `archiver-${env.name}`,
      filter: streamWildcard(prefix),
    },
    storage,
    rotation: { interval: "15m" },
    feed: env.feed,
  };
  return resolveFromFile(file, cwd, overrides);
}

function storageOf(storage: ArchiverFile["storage"], cwd: string, feed: string): StorageTarget {
  if (storage.type !== "s3") return { type: "local", path: resolve(cwd, storage.path) };
  return {
    type: "s3",
    bucket: storage.bucket,
    region: storage.region,
    endpoint: storage.endpoint,
    prefix: storage.prefix,
    forcePathStyle: storage.force_path_style,
    spool: resolve(cwd, storage.spool ?? `./archiver-spool/${storage.bucket}-${feed}`),
    multipartThresholdBytes: storage.multipart_threshold_bytes,
  };
}
