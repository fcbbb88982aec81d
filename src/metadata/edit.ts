/**
 * Round-trip edits of metadata files: change the parsed YAML Document (comments and key order
 * survive), validate the result with the file's own rules, and only then write it (atomically).
 * On any problem nothing is written.
 */
import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Document } from "yaml";
import { ConfigError, ConflictError } from "../core/errors.js";
import { checkEnvironmentFile } from "./environment-file.js";
import { checkFeedFile } from "./feed-file.js";
import { type Problem, throwIfProblems } from "./problems.js";
import { checkSchemaFile } from "./schema-file.js";
import type { MetadataKind } from "./tree.js";
import { parseYamlText, readYamlFile, type YamlFile } from "./yaml-file.js";

/** The problems of a file of `kind` on its own (no cross-file checks). */
export function problemsOf(kind: MetadataKind, file: YamlFile): Problem[] {
  const name = basename(file.path, extname(file.path));
  if (kind === "feed") return checkFeedFile(file, name).problems;
  if (kind === "schema") return checkSchemaFile(file, name).problems;
  return checkEnvironmentFile(file, name).problems;
}

/** Validates `text` as a file of `kind` at `path`; throws ValidationError listing every problem. */
export function validateText(kind: MetadataKind, path: string, text: string): YamlFile {
  const file = parseYamlText(path, text);
  throwIfProblems(`${kind} ${path} would be invalid; nothing written`, problemsOf(kind, file));
  return file;
}

/** Applies `change` to the file's Document, validates, writes. Returns the new text. */
export async function editFile(
  kind: MetadataKind,
  path: string,
  change: (doc: Document) => void,
): Promise<string> {
  const file = await readYamlFile(path);
  change(file.doc);
  const text = file.doc.toString();
  validateText(kind, path, text);
  await writeAtomically(path, text);
  return text;
}

/** Writes a new file; refuses to overwrite an existing one. */
export async function createFile(kind: MetadataKind, path: string, text: string): Promise<void> {
  validateText(kind, path, text);
  try {
    await writeFile(path, text, { flag: "wx" });
  } catch (error) {
    if ((error as { code?: unknown }).code === "EEXIST") throw new ConflictError(`${path} already exists`);
    throw new ConfigError(`cannot write ${path}`, { cause: error });
  }
}

export async function writeAtomically(path: string, text: string | Buffer): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, text);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new ConfigError(`cannot write ${path}`, { cause: error });
  }
}
