/**
 * Shared by the metadata commands (init, feed, schema, env, key, validate, diff, commit):
 * where `exchanges/` is (--dir, then SSMD_EXCHANGES, then ./exchanges), loading the tree, and
 * turning a name into an entry or a NotFoundError with "Did you mean ...?".
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError, NotFoundError, ValidationError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { isIsoDate } from "../../metadata/field-rules.js";
import { type Entry, loadTree, type MetadataKind, type MetadataTree } from "../../metadata/tree.js";
import type { CliContext } from "../context.js";

export interface DirOptions {
  dir?: string;
}

export function withDirOption(command: Command): Command {
  return command.option("--dir <dir>", "exchanges directory (default: $SSMD_EXCHANGES or ./exchanges)");
}

export function exchangesDir(ctx: CliContext, options: DirOptions): string {
  return resolve(ctx.cwd, options.dir || ctx.env.SSMD_EXCHANGES || "exchanges");
}

/** Loads the tree; a missing directory is a ConfigError that says how to create one. */
export async function openTree(ctx: CliContext, options: DirOptions): Promise<MetadataTree> {
  const dir = exchangesDir(ctx, options);
  if (!existsSync(dir)) {
    throw new ConfigError(`no exchanges directory at ${dir}`, {
      details: ["create one with: ssmd init --dir <dir>, or point --dir / SSMD_EXCHANGES at yours"],
    });
  }
  const folders = ["feeds", "schemas", "environments"];
  if (!folders.some((folder) => existsSync(resolve(dir, folder)))) {
    throw new ConfigError(`${dir} is not an exchanges tree (no feeds/, schemas/ or environments/)`, {
      details: ["create one with: ssmd init --dir <dir>"],
    });
  }
  return loadTree(dir);
}

/** The entry called `name`, or NotFoundError listing the valid names and the closest one. */
export function requireEntry<T>(entries: Map<string, Entry<T>>, kind: MetadataKind, name: string): Entry<T> {
  const entry = entries.get(name);
  if (entry) return entry;
  const names = [...entries.keys()];
  throw new NotFoundError(kind, name, names, suggest(name, names));
}

/** The entry's validated config, or a ValidationError with this file's problems. */
export function requireValid<T>(tree: MetadataTree, entry: Entry<T>): T {
  if (entry.config) return entry.config;
  const own = tree.problems.filter((problem) => problem.startsWith(entry.path));
  throw new ValidationError(`${entry.path} is invalid`, own);
}

export function requireDate(text: string, flag = "--as-of"): string {
  if (!isIsoDate(text)) throw new ValidationError(`${flag} '${text}' is not a date`, ["expected YYYY-MM-DD"]);
  return text;
}

export function requireVersionNumber(text: string, flag: string): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) {
    throw new ValidationError(`${flag} '${text}' is not a version number`, ["expected 1, 2, 3, ..."]);
  }
  return number;
}

/** Comma-separated flag value → list (empty items dropped). */
export function splitList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A name for a new file: lower-case letters, digits, '.', '_' or '-' (it becomes the file name). */
export function requireNewName(kind: MetadataKind, name: string): string {
  if (/^[a-z0-9][a-z0-9._-]*$/.test(name) && !name.includes("..")) return name;
  throw new ValidationError(`invalid ${kind} name '${name}'`, [
    "use lower-case letters, digits, '.', '_' or '-'",
  ]);
}
