/**
 * Backward compatibility between two schema versions: can readers of `to` read data written
 * with `from`? Cap'n Proto and protobuf compare fields by ordinal and type (names may change);
 * JSON Schema compares top-level properties, their types and `required`.
 */
import { ParseError } from "../core/errors.js";
import type { SchemaFormat } from "./types.js";

export interface CompatReport {
  compatible: boolean;
  breaking: string[];
  additions: string[];
  notes: string[];
}

interface Field {
  name: string;
  type: string;
}

export function compareSchemas(format: SchemaFormat, from: string, to: string): CompatReport {
  if (format === "json_schema") return compareJsonSchemas(from, to);
  const read = format === "capnp" ? capnpFields : protobufFields;
  return compareFields(read(from), read(to));
}

function compareFields(before: Map<string, Field>, after: Map<string, Field>): CompatReport {
  const breaking: string[] = [];
  const notes: string[] = [];
  for (const [slot, old] of before) {
    const now = after.get(slot);
    if (!now) breaking.push(`${slot} (${old.name}: ${old.type}) removed`);
    else if (now.type !== old.type)
      breaking.push(`${slot} (${old.name}) type changed ${old.type} → ${now.type}`);
    else if (now.name !== old.name) notes.push(`${slot} renamed ${old.name} → ${now.name} (wire-compatible)`);
  }
  const additions = [...after]
    .filter(([slot]) => !before.has(slot))
    .map(([slot, f]) => `${slot} (${f.name}: ${f.type}) added`);
  return { compatible: breaking.length === 0, breaking, additions, notes };
}

/** `Struct.@N` → field, enumerants as `Enum.@N`, with nesting tracked by braces. */
export function capnpFields(source: string): Map<string, Field> {
  const fields = new Map<string, Field>();
  const scopes: string[] = [];
  for (const raw of source.split("\n")) {
    const line = raw.replace(/#.*$/, "");
    const open = /^\s*(struct|enum|union)\s+(\w+)?\s*\{/.exec(line) ?? /^\s*(\w+)\s+:union\s*\{/.exec(line);
    const field = /^\s*(\w+)\s+@(\d+)\s*(?::\s*([^;=]+?))?\s*(=[^;]*)?;/.exec(line);
    if (field) {
      const scope = scopes.join(".") || "(top)";
      fields.set(`${scope}.@${field[2]}`, {
        name: field[1] ?? "",
        type: (field[3] ?? "enumerant").replace(/\s+/g, ""),
      });
    }
    if (open) scopes.push(open[2] ?? open[1] ?? "union");
    const closes = (line.match(/\}/g) ?? []).length;
    for (let i = 0; i < closes; i++) scopes.pop();
  }
  return fields;
}

/** `Message.N` → field. */
export function protobufFields(source: string): Map<string, Field> {
  const fields = new Map<string, Field>();
  const scopes: string[] = [];
  for (const raw of source.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "");
    const open = /^\s*(message|enum|oneof)\s+(\w+)\s*\{/.exec(line);
    const field = /^\s*((?:repeated|optional|required)\s+)?([\w.<>, ]+?)\s+(\w+)\s*=\s*(\d+)/.exec(line);
    if (field && !open) {
      const type = `${field[1]?.trim() ?? ""} ${field[2] ?? ""}`.trim();
      fields.set(`${scopes.join(".") || "(top)"}.${field[4]}`, { name: field[3] ?? "", type });
    }
    if (open) scopes.push(open[2] ?? "");
    const closes = (line.match(/\}/g) ?? []).length;
    for (let i = 0; i < closes; i++) scopes.pop();
  }
  return fields;
}

interface JsonSchemaShape {
  properties?: Record<string, { type?: unknown }>;
  required?: string[];
}

function compareJsonSchemas(from: string, to: string): CompatReport {
  const before = parseJson(from, "from");
  const after = parseJson(to, "to");
  const breaking: string[] = [];
  const oldProps = before.properties ?? {};
  const newProps = after.properties ?? {};
  for (const [name, prop] of Object.entries(oldProps)) {
    const now = newProps[name];
    if (!now) breaking.push(`property '${name}' removed`);
    else if (JSON.stringify(now.type) !== JSON.stringify(prop.type)) {
      breaking.push(
        `property '${name}' type changed ${JSON.stringify(prop.type)} → ${JSON.stringify(now.type)}`,
      );
    }
  }
  const oldRequired = new Set(before.required ?? []);
  for (const name of after.required ?? []) {
    if (!oldRequired.has(name)) breaking.push(`property '${name}' is newly required`);
  }
  const additions = Object.keys(newProps)
    .filter((name) => !(name in oldProps))
    .map((name) => `property '${name}' added`);
  return { compatible: breaking.length === 0, breaking, additions, notes: [] };
}

function parseJson(text: string, which: string): JsonSchemaShape {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null) return value as JsonSchemaShape;
  } catch (cause) {
    throw new ParseError(`the '${which}' JSON Schema is not valid JSON`, { cause });
  }
  throw new ParseError(`the '${which}' JSON Schema is not a JSON object`);
}
