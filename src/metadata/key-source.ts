/**
 * Key sources (contract §2): `env:VAR[,VAR]`, `sealed-secret:ns/name`, `file:path`.
 * Resolving reads the given env object or the file; values are returned to the caller and
 * must never be printed or logged.
 */
import { readFileSync } from "node:fs";
import { ValidationError } from "../core/errors.js";
import type { KeySpec } from "./types.js";

const ENV_VAR = "[A-Za-z_][A-Za-z0-9_]*";
export const KEY_SOURCE = new RegExp(
  `^(env:${ENV_VAR}(,${ENV_VAR})*|sealed-secret:[a-z0-9][a-z0-9.-]*/[a-z0-9][a-z0-9.-]*|file:.+)$`,
);

export type KeySource =
  | { kind: "env"; vars: string[] }
  | { kind: "sealed-secret"; namespace: string; name: string }
  | { kind: "file"; path: string };

export interface ResolvedKey {
  present: boolean;
  /** Values by env var name (env) or by file path (file). Never print these. */
  values: Record<string, string>;
  /** What is absent: env var names, the file path, or a note for sealed secrets. */
  missing: string[];
}

export function parseKeySource(source: string): KeySource {
  if (!KEY_SOURCE.test(source)) {
    throw new ValidationError(`invalid key source '${source}'`, [
      "expected env:VAR[,VAR], sealed-secret:namespace/name or file:path",
    ]);
  }
  const [kind, ...rest] = source.split(":");
  const body = rest.join(":");
  if (kind === "env") return { kind: "env", vars: body.split(",") };
  if (kind === "file") return { kind: "file", path: body };
  const [namespace = "", name = ""] = body.split("/");
  return { kind: "sealed-secret", namespace, name };
}

export function resolveKeySource(spec: KeySpec, env: Record<string, string | undefined>): ResolvedKey {
  const source = parseKeySource(spec.source);
  if (source.kind === "env") {
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const name of source.vars) {
      const value = env[name];
      if (value === undefined || value === "") missing.push(name);
      else values[name] = value;
    }
    return { present: missing.length === 0, values, missing };
  }
  if (source.kind === "file") {
    try {
      return { present: true, values: { [source.path]: readFileSync(source.path, "utf8") }, missing: [] };
    } catch {
      return { present: false, values: {}, missing: [source.path] };
    }
  }
  const note = `sealed secret ${source.namespace}/${source.name} is resolved in-cluster, not from this shell`;
  return { present: false, values: {}, missing: [note] };
}
