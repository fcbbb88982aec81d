/**
 * One YAML file read for validation: the parsed document (kept for round-trip edits), its plain
 * value, and the line of any field, so every problem can be reported as "file:line field: message".
 */
import { readFile } from "node:fs/promises";
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { NotFoundError, ValidationError } from "../core/errors.js";

export type FieldPath = readonly (string | number)[];

export interface YamlFile {
  path: string;
  text: string;
  doc: Document;
  value: unknown;
  /** 1-based line of the field (or of its closest existing parent). */
  lineOf(field: FieldPath): number;
}

/** Reads and parses a YAML file; syntax errors become a ValidationError with file:line. */
export async function readYamlFile(path: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (isMissing(error)) throw new NotFoundError("file", path);
    throw new ValidationError(`cannot read ${path}`, [String(error)], { cause: error });
  }
  return parseYamlText(path, text);
}

export function parseYamlText(path: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings].map((error) => {
    const line = lineCounter.linePos(error.pos[0]).line;
    return `${path}:${line} ${firstLine(error.message)}`;
  });
  if (doc.errors.length > 0) throw new ValidationError(`${path} is not valid YAML`, syntax);
  const lineOf = (field: FieldPath) => lineCounter.linePos(offsetOf(doc, field)).line;
  return { path, text, doc, value: doc.toJS() as unknown, lineOf };
}

/**
 * Offset of the deepest node along `field` that exists (the key itself for map entries). An
 * accepted alternate spelling `<x>_<key>` (transport_type, feed_type) counts as the key.
 */
function offsetOf(doc: Document, field: FieldPath): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of field) {
    const next = child(node, segment);
    if (next === undefined) break;
    offset = next.offset ?? offset;
    node = next.node;
  }
  return offset;
}

function child(node: unknown, segment: string | number): { node: unknown; offset?: number } | undefined {
  if (isMap(node)) {
    const pair =
      node.items.find((item) => isPair(item) && scalarValue(item.key) === String(segment)) ??
      node.items.find((item) => isPair(item) && scalarValue(item.key)?.endsWith(`_${segment}`));
    if (!pair) return undefined;
    return { node: pair.value, offset: rangeStart(pair.key) ?? rangeStart(pair.value) };
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item, offset: rangeStart(item) };
  }
  return undefined;
}

function scalarValue(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
