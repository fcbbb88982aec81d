/**
 * Shared by the `ssmd data` commands: where the archive is (--path, then SSMD_DATA_PATH), S3
 * settings from the environment, the default feed, and small formatting helpers.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { openArchiveStore, type S3Settings } from "../../adapters/archive-reader/open-store.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { DatasetCatalog } from "../../components/data-api/dataset-catalog.js";
import { parseFeedName } from "../../components/data-api/params.js";
import { ConfigError } from "../../core/errors.js";
import type { CliContext } from "../context.js";

export interface PathOptions {
  path?: string;
  json?: boolean;
}

export const DEFAULT_FEED = "kalshi";

export function withPathOption(command: Command): Command {
  return command
    .option("--path <root>", "archive root: a directory or s3://bucket/prefix (default: $SSMD_DATA_PATH)")
    .option("--json", "print JSON");
}

export function s3SettingsFromEnv(env: CliContext["env"]): S3Settings {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
    endpoint: env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? env.SSMD_S3_ENDPOINT,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  };
}

export function archiveLocation(ctx: CliContext, options: PathOptions): string {
  const location = options.path ?? ctx.env.SSMD_DATA_PATH;
  if (!location) {
    throw new ConfigError("no archive given", {
      details: ["pass --path <dir|s3://bucket/prefix> or set SSMD_DATA_PATH"],
    });
  }
  if (!location.startsWith("s3://") && !existsSync(resolve(ctx.cwd, location))) {
    throw new ConfigError(`archive path ${resolve(ctx.cwd, location)} does not exist`, {
      details: ["point --path or SSMD_DATA_PATH at the archiver's output directory"],
    });
  }
  return location;
}

export function openStore(ctx: CliContext, options: PathOptions): Promise<ObjectStore> {
  return openArchiveStore(archiveLocation(ctx, options), ctx.cwd, s3SettingsFromEnv(ctx.env));
}

export async function openCatalog(ctx: CliContext, options: PathOptions): Promise<DatasetCatalog> {
  return new DatasetCatalog(await openStore(ctx, options));
}

export function feedOption(text: string | undefined): string {
  return parseFeedName(text ?? DEFAULT_FEED, "--feed");
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatUs(us: number | null | undefined): string {
  if (us === null || us === undefined) return "-";
  return new Date(Math.floor(us / 1000)).toISOString().replace("T", " ").replace("Z", "");
}

export function formatScore(score: number | null): string {
  return score === null ? "-" : score.toFixed(3);
}
