/**
 * Checks between files: environment → feed (exists, active) and environment → schema
 * (name and version exist, not draft). Each unknown name comes with "Did you mean ...?".
 */
import { suggest } from "../core/suggest.js";
import { splitSchemaRef } from "./field-rules.js";
import { formatProblem, problemAt } from "./problems.js";
import type { Entry, MetadataTree } from "./tree.js";
import type { EnvironmentConfig } from "./types.js";
import type { YamlFile } from "./yaml-file.js";

/** For the whole tree: a reference to a file that is itself invalid is not repeated (its problems are listed). */
export function referenceProblems(tree: MetadataTree): string[] {
  return [...tree.environments.values()].flatMap((entry) => environmentReferenceProblems(tree, entry, false));
}

export function environmentReferenceProblems(
  tree: MetadataTree,
  entry: Entry<EnvironmentConfig>,
  includeInvalidTargets = true,
): string[] {
  const env = entry.config;
  const file = entry.file;
  if (!env || !file) return [];
  const all = [...feedReference(tree, env), ...schemaReference(tree, env)];
  const problems = includeInvalidTargets ? all : all.filter((reference) => !reference.targetInvalid);
  return problems.map(({ field, message }) => formatProblem(problemAt(file, [field], message)));
}

/** Reference problems of an environment file that is not (yet) part of the tree. */
export function fileReferenceProblems(tree: MetadataTree, file: YamlFile, env: EnvironmentConfig): string[] {
  return environmentReferenceProblems(tree, { name: env.name, path: file.path, file, config: env });
}

export interface Reference {
  field: string;
  message: string;
  /** The referenced file exists but is invalid on its own. */
  targetInvalid?: boolean;
}

export function feedReference(tree: MetadataTree, env: EnvironmentConfig): Reference[] {
  const feed = tree.feeds.get(env.feed);
  if (!feed) return [{ field: "feed", message: unknown("feed", env.feed, tree.feeds.keys()) }];
  if (!feed.config)
    return [
      { field: "feed", message: `feed '${env.feed}' is invalid (see its problems)`, targetInvalid: true },
    ];
  if (feed.config.status !== "active") {
    return [{ field: "feed", message: `feed '${env.feed}' is ${feed.config.status}, not active` }];
  }
  return [];
}

export function schemaReference(tree: MetadataTree, env: EnvironmentConfig): Reference[] {
  const ref = splitSchemaRef(env.schema);
  if (!ref) return [];
  const schema = tree.schemas.get(ref.name);
  if (!schema) return [{ field: "schema", message: unknown("schema", ref.name, tree.schemas.keys()) }];
  if (!schema.config)
    return [
      { field: "schema", message: `schema '${ref.name}' is invalid (see its problems)`, targetInvalid: true },
    ];
  const version = schema.config.versions.find((v) => v.version === ref.version);
  if (!version) {
    const refs = schema.config.versions.map((v) => `${ref.name}:${v.version}`);
    return [{ field: "schema", message: unknown("schema version", env.schema, refs) }];
  }
  if (version.status === "draft") {
    return [
      {
        field: "schema",
        message: `schema '${env.schema}' is draft; activate it first (ssmd schema set-status ${env.schema} active)`,
      },
    ];
  }
  return [];
}

export function unknown(kind: string, wanted: string, valid: Iterable<string>): string {
  const names = [...valid];
  const guess = suggest(wanted, names);
  const hint = guess ? ` Did you mean '${guess}'?` : "";
  const list = names.length > 0 ? ` (valid: ${names.join(", ")})` : " (none defined)";
  return `unknown ${kind} '${wanted}'.${hint}${list}`;
}
