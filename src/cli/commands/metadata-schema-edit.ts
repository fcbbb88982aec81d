/** `ssmd schema register` and `ssmd schema hash [--all] [--update]`. */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { Document } from "yaml";
import { ConflictError, NotFoundError, ParseError, ValidationError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { editFile, renderYaml, validateText, writeAtomically } from "../../metadata/edit.js";
import { fileHash, SCHEMA_FORMATS, SCHEMA_STATUSES, sha256 } from "../../metadata/schema-file.js";
import type { MetadataTree } from "../../metadata/tree.js";
import type { SchemaFormat } from "../../metadata/types.js";
import type { CliContext } from "../context.js";
import { check, printJson, printLine, printTable } from "../output.js";
import { type DirOptions, openTree, requireNewName, withDirOption } from "./metadata-common.js";
import { resolveSchemaRef, schemaOf } from "./schema.js";

const EXTENSION: Record<SchemaFormat, string> = { capnp: "capnp", json_schema: "json", protobuf: "proto" };

interface RegisterOptions extends DirOptions {
  file: string;
  format: string;
  version?: string;
  status: string;
  effectiveFrom?: string;
  description?: string;
}

function requireFormat(format: string): SchemaFormat {
  if ((SCHEMA_FORMATS as readonly string[]).includes(format)) return format as SchemaFormat;
  throw new NotFoundError("schema format", format, [...SCHEMA_FORMATS], suggest(format, SCHEMA_FORMATS));
}

function checkSource(format: SchemaFormat, source: string, path: string): void {
  if (format === "json_schema") {
    try {
      JSON.parse(source);
    } catch (cause) {
      throw new ParseError(`${path} is not valid JSON`, { cause });
    }
  }
  if (format === "capnp" && !/\bstruct\s+\w+/.test(source))
    throw new ParseError(`${path} has no Cap'n Proto struct`);
  if (format === "protobuf" && !/\bmessage\s+\w+/.test(source))
    throw new ParseError(`${path} has no protobuf message`);
}

async function register(ctx: CliContext, name: string, options: RegisterOptions): Promise<void> {
  const format = requireFormat(options.format);
  requireNewName("schema", name);
  const source = await readFile(resolve(ctx.cwd, options.file), "utf8").catch((cause: unknown) => {
    throw new ValidationError(`cannot read --file ${options.file}`, [], { cause });
  });
  checkSource(format, source, options.file);
  const tree = await openTree(ctx, options);
  const existing = tree.schemas.get(name);
  const versions = existing ? schemaOf(tree, existing).versions : [];
  const versionName = options.version ?? `v${versions.length + 1}`;
  if (versions.some((v) => v.version === versionName))
    throw new ConflictError(`schema '${name}:${versionName}' already exists`);
  const fileName = `${name}.${versionName}.${EXTENSION[format]}`;
  const version: Record<string, unknown> = {
    version: versionName,
    format,
    file: fileName,
    sha256: sha256(source),
    status: options.status,
  };
  if (options.effectiveFrom) version.effective_from = options.effectiveFrom;
  const yamlPath = join(tree.dir, "schemas", `${name}.yaml`);
  const text = existing?.file
    ? withVersion(existing.file.doc, version)
    : newSchemaText(name, options.description, version);
  validateText("schema", yamlPath, text);
  await writeAtomically(join(tree.dir, "schemas", fileName), source);
  await writeAtomically(yamlPath, text);
  printLine(
    ctx,
    check(
      ctx,
      true,
      `registered ${name}:${versionName} (${format}, ${options.status}, sha256 ${sha256(source).slice(0, 16)}…)`,
    ),
  );
}

function withVersion(doc: Document, version: Record<string, unknown>): string {
  doc.addIn(["versions"], doc.createNode(version));
  return renderYaml(doc);
}

function newSchemaText(
  name: string,
  description: string | undefined,
  version: Record<string, unknown>,
): string {
  const schema: Record<string, unknown> = { name };
  if (description) schema.description = description;
  schema.versions = [version];
  return renderYaml(new Document(schema));
}

interface HashOptions extends DirOptions {
  all?: boolean;
  update?: boolean;
  json?: boolean;
}

async function hash(ctx: CliContext, ref: string | undefined, options: HashOptions): Promise<void> {
  if (!ref && !options.all) throw new ValidationError("give NAME[:VERSION] or --all");
  const tree = await openTree(ctx, options);
  const rows = await hashRows(tree, ref);
  if (options.update) {
    for (const row of rows.filter((r) => r.actual !== undefined && r.actual !== r.stored)) {
      await editFile("schema", row.path, (doc) => doc.setIn(["versions", row.index, "sha256"], row.actual));
      row.stored = row.actual ?? row.stored;
    }
  }
  const view = rows.map(({ schema, version, file, stored, actual }) => ({
    schema,
    version,
    file,
    stored,
    actual,
    ok: stored === actual,
  }));
  if (options.json) printJson(ctx, view);
  else
    printTable(
      ctx,
      ["SCHEMA", "VERSION", "FILE", "SHA256", "MATCHES"],
      view.map((r) => [r.schema, r.version, r.file, r.actual ?? "(missing)", r.ok ? "yes" : "NO"]),
    );
  const bad = view.filter((r) => !r.ok);
  if (bad.length > 0) {
    throw new ValidationError(
      `${bad.length} schema file(s) do not match their stored hash`,
      bad.map((r) => `${r.schema}:${r.version} ${r.file}${r.actual ? "" : " missing"}`),
    );
  }
  if (options.update && !options.json) printLine(ctx, check(ctx, true, "stored hashes match the files"));
}

async function hashRows(tree: MetadataTree, ref: string | undefined) {
  const entries = ref
    ? [resolveSchemaRef(tree, ref)]
    : [...tree.schemas.values()].map((entry) => ({
        entry,
        schema: schemaOf(tree, entry),
        version: undefined,
      }));
  const rows = [];
  for (const { entry, schema, version } of entries) {
    for (const [index, v] of schema.versions.entries()) {
      if (version && v.version !== version.version) continue;
      const actual = await fileHash(join(tree.dir, "schemas", v.file));
      rows.push({
        path: entry.path,
        index,
        schema: schema.name,
        version: v.version,
        file: v.file,
        stored: v.sha256,
        actual,
      });
    }
  }
  return rows;
}

export function registerSchemaRegister(schema: Command, ctx: CliContext): void {
  withDirOption(schema.command("register"))
    .description("copy a schema file into schemas/ and record it as a new version with its sha256")
    .argument("<name>", "schema name")
    .argument("[version]", "version name (default v<N+1>)")
    .requiredOption("--file <path>", "schema source file")
    .requiredOption("--format <format>", SCHEMA_FORMATS.join("|"))
    .option("--status <status>", SCHEMA_STATUSES.join("|"), "draft")
    .option("--effective-from <date>", "first day in force (YYYY-MM-DD)")
    .option("--description <text>", "description (new schemas)")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd schema register fills --file fills.capnp --format capnp --status active\n",
    )
    .action((name: string, version: string | undefined, options: RegisterOptions) =>
      register(ctx, name, { ...options, version }),
    );
}

export function registerSchemaHash(schema: Command, ctx: CliContext): void {
  withDirOption(schema.command("hash"))
    .description("compute sha256 of schema files and compare with the stored hashes (exit 1 on mismatch)")
    .argument("[ref]", "NAME or NAME:VERSION")
    .option("--all", "every schema")
    .option("--update", "store the computed hash (after an intended change)")
    .option("--json", "print as JSON")
    .addHelpText("after", "\nExample:\n  ssmd schema hash --all\n  ssmd schema hash trade:v1 --update\n")
    .action((ref: string | undefined, options: HashOptions) => hash(ctx, ref, options));
}
