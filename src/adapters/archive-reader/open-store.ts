/**
 * Opens the archive root a user names: a directory (relative to cwd) or `s3://bucket/prefix`.
 * S3 settings come from the caller (the CLI reads them from the environment), never from here.
 * The AWS SDK is loaded only for s3:// roots, so local reads start fast.
 */
import { resolve } from "node:path";
import { ValidationError } from "../../core/errors.js";
import { createLocalStore } from "../storage/local-store.js";
import type { ObjectStore } from "../storage/types.js";

export interface S3Settings {
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export async function openArchiveStore(
  location: string,
  cwd: string,
  s3: S3Settings = {},
): Promise<ObjectStore> {
  if (location.trim() === "") throw new ValidationError("the archive path is empty");
  if (!location.startsWith("s3://")) return createLocalStore(resolve(cwd, location));
  const rest = location.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? "" : rest.slice(slash + 1).replace(/\/+$/, "");
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ValidationError(`invalid S3 location '${location}'`, ["expected s3://bucket[/prefix]"]);
  }
  const { createS3Store } = await import("../storage/s3-store.js");
  return createS3Store({
    bucket,
    prefix,
    region: s3.region ?? "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: s3.forcePathStyle ?? s3.endpoint !== undefined,
    credentials: s3.credentials,
  });
}
