/**
 * Round-trip edits of metadata files: change the parsed YAML Document (comments and key order
 * survive), validate the result with the file's own rules, and only then write it (atomically).
 * On any problem nothing is written.
 */
import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { type Document, isMap, isScalar } from "yaml";
import { ConfigError, ConflictError, ValidationError } from "../core/errors.js";
import { checkEnvironmentFile } from "./environment-file.js";
import { checkFeedFile } from "./feed-file.js";
import { type Problem, problemCount, throwIfProblems } from "./problems.js";
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

/** Document → text the way people write it: `[a, b]`, long lines never folded. */
export function renderYaml(doc: Document): string {
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}

/** Extra checks beyond the file's own rules (references to other files), as formatted problems. */
export type ExtraCheck = (file: YamlFile) => string[];

/** Validates `text` as a file of `kind` at `path`; throws ValidationError listing every problem. */
export function validateText(kind: MetadataKind, path: string, text: string, extra?: ExtraCheck): YamlFile {
  const file = parseYamlText(path, text);
  const own = problemsOf(kind, file);
  throwIfProblems(`${kind} ${path} would be invalid; nothing written`, own);
  const more = extra?.(file) ?? [];
  if (more.length > 0) {
    throw new ValidationError(
      `${kind} ${path} would be invalid; nothing written: ${problemCount(more.length)}`,
      more,
    );
  }
  return file;
}

/** Applies `change` to the file's Document, validates, writes. Returns the new text. */
export async function editFile(
  kind: MetadataKind,
  path: string,
  change: (doc: Document) => void,
  extra?: ExtraCheck,
): Promise<string> {
  const file = await readYamlFile(path);
  change(file.doc);
  const text = renderYaml(file.doc);
  validateText(kind, path, text, extra);
  await writeAtomically(path, text);
  return text;
}

/** Writes a new file; refuses to overwrite an existing one. */
export async function createFile(
  kind: MetadataKind,
  path: string,
  text: string,
  extra?: ExtraCheck,
): Promise<void> {
  validateText(kind, path, text, extra);
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

/** Sets `key` in the map at `mapPath`, placing a new key right after `after` (keeps files readable). */
export function setAfter(
  doc: Document,
  mapPath: (string | number)[],
  key: string,
  value: unknown,
  after: string,
): void {
  const map = doc.getIn(mapPath, true);
  if (!isMap(map) || map.has(key)) {
    doc.setIn([...mapPath, key], value);
    return;
  }
  const index = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === after);
  const pair = doc.createPair(key, value);
  if (index < 0) map.items.push(pair);
  else map.items.splice(index + 1, 0, pair);
}
