/** Rules for `schemas/<name>.yaml` (shape) and the sha256 check of each version's source file. */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { nameProblems } from "./feed-file.js";
import { fileName, isoDate } from "./field-rules.js";
import { type Problem, problemAt, problemsFromZod } from "./problems.js";
import type { SchemaConfig } from "./types.js";
import type { YamlFile } from "./yaml-file.js";

export const SCHEMA_STATUSES = ["draft", "active", "deprecated"] as const;
export const SCHEMA_FORMATS = ["capnp", "json_schema", "protobuf"] as const;

const schemaVersion = z.strictObject({
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: "must be like v1" }),
  format: z.enum(SCHEMA_FORMATS),
  file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, { message: "must be a path inside schemas/" }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: "must be 64 lower-case hex digits" }),
  status: z.enum(SCHEMA_STATUSES),
  effective_from: isoDate.optional(),
  effective_to: isoDate.optional(),
  compatible_with: z.array(z.string()).optional(),
});

const schemaShape = z.strictObject({
  name: fileName,
  description: z.string().optional(),
  versions: z.array(schemaVersion).min(1, { message: "needs at least one version" }),
});

export function checkSchemaFile(
  file: YamlFile,
  expectedName?: string,
): { schema?: SchemaConfig; problems: Problem[] } {
  const result = schemaShape.safeParse(file.value, { reportInput: true });
  const naming = nameProblems(file, expectedName);
  if (!result.success) return { problems: [...naming, ...problemsFromZod(file, result.error.issues)] };
  const schema = result.data as SchemaConfig;
  const duplicates = schema.versions.flatMap((version, i) =>
    schema.versions.findIndex((other) => other.version === version.version) < i
      ? [problemAt(file, ["versions", i, "version"], `duplicate version '${version.version}'`)]
      : [],
  );
  return { schema, problems: [...naming, ...duplicates] };
}

export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Each version's file exists under `schemasDir` and its sha256 matches the stored hash. */
export async function hashProblems(
  file: YamlFile,
  schema: SchemaConfig,
  schemasDir: string,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const [i, version] of schema.versions.entries()) {
    const actual = await fileHash(join(schemasDir, version.file));
    if (actual === undefined) {
      problems.push(problemAt(file, ["versions", i, "file"], `file '${version.file}' not found in schemas/`));
    } else if (actual !== version.sha256) {
      const message = `hash of '${version.file}' changed: stored ${version.sha256.slice(0, 12)}…, file ${actual.slice(0, 12)}… (if intended: ssmd schema hash ${schema.name}:${version.version} --update)`;
      problems.push(problemAt(file, ["versions", i, "sha256"], message));
    }
  }
  return problems;
}

export async function fileHash(path: string): Promise<string | undefined> {
  try {
    return sha256(await readFile(path));
  } catch {
    return undefined;
  }
}
