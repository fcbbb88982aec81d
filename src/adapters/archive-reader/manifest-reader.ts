/**
 * Reads a day's manifest.json through the storage port and validates it with the archiver's
 * schema (src/core/manifest-schema.ts). A missing manifest is not an error (a day being written,
 * or files copied by hand): callers fall back to listing files.
 */

import type { DayManifest } from "../../core/manifest.js";
import { parseManifestText } from "../../core/manifest-schema.js";
import type { ObjectStore } from "../storage/types.js";
import { manifestKey } from "./archive-layout.js";

export async function readManifest(
  store: ObjectStore,
  feed: string,
  date: string,
): Promise<DayManifest | undefined> {
  const key = manifestKey(feed, date);
  if (!(await store.exists(key))) return undefined;
  const bytes = await store.readBytes(key);
  return parseManifestText(bytes.toString("utf8"), key);
}
