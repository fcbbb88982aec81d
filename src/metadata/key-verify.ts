/**
 * `ssmd key list|verify`: which keys an environment needs, where each comes from, whether it is
 * present and whether it parses (a private key must be an RSA PEM). Values never leave here.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { errorMessage } from "../core/errors.js";
import { loadPrivateKey } from "../core/kalshi/sign.js";
import { parseKeySource, resolveKeySource } from "./key-source.js";
import type { KeySpec } from "./types.js";

export interface KeyCheck {
  key: string;
  type: string;
  required: boolean;
  source: string;
  present: boolean;
  /** True when present and every value parses. */
  ok: boolean;
  /** Cannot be checked from here (a sealed secret lives in the cluster): report, do not fail. */
  unverifiable: boolean;
  /** Human notes: what is missing or why a value does not parse. Never a value. */
  notes: string[];
}

type Env = Record<string, string | undefined>;

export function verifyKey(key: string, spec: KeySpec, env: Env, cwd: string): KeyCheck {
  const source = parseKeySource(spec.source);
  const unverifiable = source.kind === "sealed-secret";
  const base = { key, type: spec.type, required: spec.required, source: spec.source, unverifiable };
  const resolved = resolveKeySource(absoluteFileSource(spec, cwd), env);
  const notes = resolved.missing.map((what) => {
    if (source.kind === "env") return `${what} is not set`;
    return source.kind === "file" ? `${what} cannot be read` : what;
  });
  if (!resolved.present) return { ...base, present: false, ok: false, notes };
  const names = source.kind === "env" ? source.vars : Object.keys(resolved.values);
  names.forEach((name, i) => {
    const problem = valueProblem(spec.fields[i] ?? name, name, resolved.values[name] ?? "", cwd);
    if (problem) notes.push(problem);
  });
  return { ...base, present: true, ok: notes.length === 0, notes };
}

function absoluteFileSource(spec: KeySpec, cwd: string): KeySpec {
  if (!spec.source.startsWith("file:")) return spec;
  return { ...spec, source: `file:${resolve(cwd, spec.source.slice("file:".length))}` };
}

/** Why a value does not fit its field, or undefined. The value itself is never quoted. */
function valueProblem(field: string, name: string, value: string, cwd: string): string | undefined {
  if (value.trim() === "") return `${name} is empty`;
  const isPrivateKey = /private[_-]?key/i.test(field) || /PRIVATE_KEY/i.test(name);
  if (!isPrivateKey) return undefined;
  let pem = value;
  if (/_PATH$/i.test(name)) {
    try {
      pem = readFileSync(resolve(cwd, value), "utf8");
    } catch {
      return `${name} points to a file that cannot be read`;
    }
  }
  try {
    loadPrivateKey(pem);
    return undefined;
  } catch (error) {
    return `${name}: ${errorMessage(error)}`;
  }
}
