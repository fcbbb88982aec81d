/**
 * Loading one metadata file for a component's CLI command (connector --feed F --env E, ...).
 * Each loader validates fully and throws one ValidationError listing every problem as
 * "file:line field: message".
 */
import { basename, extname } from "node:path";
import { NotFoundError, ValidationError } from "../core/errors.js";
import { checkEnvironmentFile } from "./environment-file.js";
import { checkFeedFile } from "./feed-file.js";
import { isIsoDate } from "./field-rules.js";
import { throwIfProblems } from "./problems.js";
import type { EnvironmentConfig, FeedConfig, FeedVersion } from "./types.js";
import { readYamlFile } from "./yaml-file.js";

export type { ResolvedKey } from "./key-source.js";
export { parseKeySource, resolveKeySource } from "./key-source.js";

export async function loadEnvironmentFile(path: string): Promise<EnvironmentConfig> {
  const file = await readYamlFile(path);
  const { environment, problems } = checkEnvironmentFile(file, stem(path));
  throwIfProblems(`invalid environment ${path}`, problems);
  if (!environment) throw new ValidationError(`invalid environment ${path}`);
  return environment;
}

export async function loadFeedFile(path: string): Promise<FeedConfig> {
  const file = await readYamlFile(path);
  const { feed, problems } = checkFeedFile(file, stem(path));
  throwIfProblems(`invalid feed ${path}`, problems);
  if (!feed) throw new ValidationError(`invalid feed ${path}`);
  return feed;
}

/** The feed version in force on `date` (YYYY-MM-DD): effective_from <= date < effective_to. */
export function feedVersionAt(feed: FeedConfig, date: string): FeedVersion {
  if (!isIsoDate(date)) throw new ValidationError(`invalid date '${date}'`, ["expected YYYY-MM-DD"]);
  const inForce = feed.versions.filter(
    (v) => v.effective_from <= date && (v.effective_to === undefined || date < v.effective_to),
  );
  const latest = inForce.sort((a, b) => b.effective_from.localeCompare(a.effective_from))[0];
  if (latest) return latest;
  const windows = feed.versions.map(
    (v) => `${v.version} (${v.effective_from} .. ${v.effective_to ?? "open"})`,
  );
  throw new NotFoundError("feed version", `${feed.name}@${date}`, windows);
}

function stem(path: string): string {
  return basename(path, extname(path));
}
