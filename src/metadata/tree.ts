/**
 * The whole `exchanges/` tree: every feed, schema and environment file, each validated on its
 * own; problems are collected, never thrown, so `validate` can list all of them at once.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { isSsmdError } from "../core/errors.js";
import { checkEnvironmentFile } from "./environment-file.js";
import { checkFeedFile } from "./feed-file.js";
import { formatProblem, type Problem } from "./problems.js";
import { checkSchemaFile, hashProblems } from "./schema-file.js";
import type { EnvironmentConfig, FeedConfig, SchemaConfig } from "./types.js";
import { readYamlFile, type YamlFile } from "./yaml-file.js";

export type MetadataKind = "feed" | "schema" | "environment";
export const FOLDERS: Record<MetadataKind, string> = {
  feed: "feeds",
  schema: "schemas",
  environment: "environments",
};

export interface Entry<T> {
  name: string;
  path: string;
  file?: YamlFile;
  /** Present when the file is valid on its own. */
  config?: T;
}

export interface MetadataTree {
  dir: string;
  feeds: Map<string, Entry<FeedConfig>>;
  schemas: Map<string, Entry<SchemaConfig>>;
  environments: Map<string, Entry<EnvironmentConfig>>;
  /** Every problem, formatted "file:line field: message". */
  problems: string[];
}

export async function loadTree(dir: string): Promise<MetadataTree> {
  const problems: string[] = [];
  const feeds = await loadFolder<FeedConfig>(dir, "feed", problems, async (file, name) => {
    const outcome = checkFeedFile(file, name);
    return { config: outcome.feed, problems: outcome.problems };
  });
  const schemas = await loadFolder<SchemaConfig>(dir, "schema", problems, async (file, name) => {
    const { schema, problems: own } = checkSchemaFile(file, name);
    if (!schema || own.length > 0) return { config: schema, problems: own };
    return { config: schema, problems: await hashProblems(file, schema, join(dir, FOLDERS.schema)) };
  });
  const environments = await loadFolder<EnvironmentConfig>(
    dir,
    "environment",
    problems,
    async (file, name) => {
      const outcome = checkEnvironmentFile(file, name);
      return { config: outcome.environment, problems: outcome.problems };
    },
  );
  return { dir, feeds, schemas, environments, problems };
}

type Check<T> = (file: YamlFile, name: string) => Promise<{ config: T | undefined; problems: Problem[] }>;

async function loadFolder<T>(
  dir: string,
  kind: MetadataKind,
  problems: string[],
  check: Check<T>,
): Promise<Map<string, Entry<T>>> {
  const entries = new Map<string, Entry<T>>();
  for (const fileName of await yamlFiles(join(dir, FOLDERS[kind]))) {
    const name = fileName.replace(/\.ya?ml$/, "");
    const path = join(dir, FOLDERS[kind], fileName);
    const entry: Entry<T> = { name, path };
    entries.set(name, entry);
    try {
      entry.file = await readYamlFile(path);
      const outcome = await check(entry.file, name);
      problems.push(...outcome.problems.map(formatProblem));
      if (outcome.config && outcome.problems.length === 0) entry.config = outcome.config;
    } catch (error) {
      if (!isSsmdError(error)) throw error;
      problems.push(...(error.details.length > 0 ? error.details : [`${path}: ${error.message}`]));
    }
  }
  return entries;
}

async function yamlFiles(folder: string): Promise<string[]> {
  try {
    const names = await readdir(folder);
    const stem = (name: string) => name.replace(/\.ya?ml$/, "");
    return names.filter((name) => /\.ya?ml$/.test(name)).sort((a, b) => stem(a).localeCompare(stem(b)));
  } catch {
    return [];
  }
}
