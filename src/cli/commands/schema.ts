/** `ssmd schema list|show|register|set-status|hash|compat`: schemas under exchanges/schemas/. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { editFile } from "../../metadata/edit.js";
import { compareSchemas } from "../../metadata/schema-compat.js";
import { checkSchemaFile, SCHEMA_STATUSES } from "../../metadata/schema-file.js";
import type { Entry, MetadataTree } from "../../metadata/tree.js";
import type { SchemaConfig, SchemaVersion } from "../../metadata/types.js";
import type { CliContext } from "../context.js";
import { check, printJson, printLine, printTable } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, openTree, requireEntry, withDirOption } from "./metadata-common.js";
import { registerSchemaHash, registerSchemaRegister } from "./metadata-schema-edit.js";

interface JsonOptions extends DirOptions {
  json?: boolean;
}

/** The schema as written, even when a version's hash no longer matches (hash/compat need it). */
export function schemaOf(tree: MetadataTree, entry: Entry<SchemaConfig>): SchemaConfig {
  if (entry.config) return entry.config;
  const outcome = entry.file ? checkSchemaFile(entry.file, entry.name) : undefined;
  if (outcome?.schema && outcome.problems.length === 0) return outcome.schema;
  throw new ValidationError(
    `${entry.path} is invalid`,
    tree.problems.filter((p) => p.startsWith(entry.path)),
  );
}

/** `NAME[:VERSION]` → the schema and, when given, the version (both checked, with suggestions). */
export function resolveSchemaRef(
  tree: MetadataTree,
  ref: string,
): { entry: Entry<SchemaConfig>; schema: SchemaConfig; version?: SchemaVersion } {
  const [name = "", versionName] = ref.split(":");
  const entry = requireEntry(tree.schemas, "schema", name);
  const schema = schemaOf(tree, entry);
  if (versionName === undefined) return { entry, schema };
  return { entry, schema, version: requireSchemaVersion(schema, versionName) };
}

export function requireSchemaVersion(schema: SchemaConfig, versionName: string): SchemaVersion {
  const version = schema.versions.find((v) => v.version === versionName);
  if (version) return version;
  const refs = schema.versions.map((v) => `${schema.name}:${v.version}`);
  const wanted = `${schema.name}:${versionName}`;
  throw new NotFoundError("schema version", wanted, refs, suggest(wanted, refs));
}

interface SchemaRow {
  name: string;
  version?: string;
  format?: string;
  status: string;
  valid: boolean;
}

async function listSchemas(ctx: CliContext, options: JsonOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const rows = [...tree.schemas.values()].flatMap((entry): SchemaRow[] => {
    const config = entry.file ? checkSchemaFile(entry.file, entry.name).schema : undefined;
    if (!config) return [{ name: entry.name, status: "invalid", valid: false }];
    return config.versions.map((v) => ({
      name: entry.name,
      version: v.version,
      format: v.format,
      status: v.status,
      valid: entry.config !== undefined,
    }));
  });
  if (options.json) return printJson(ctx, rows);
  printTable(
    ctx,
    ["NAME", "VERSION", "FORMAT", "STATUS", "VALID"],
    rows.map((r) => [r.name, r.version, r.format, r.status, r.valid ? "yes" : "NO"]),
  );
}

async function showSchema(ctx: CliContext, ref: string, options: JsonOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const { schema, version } = resolveSchemaRef(tree, ref);
  if (version) {
    const source = await readFile(join(tree.dir, "schemas", version.file), "utf8").catch(() => undefined);
    if (options.json) return printJson(ctx, { name: schema.name, ...version, source });
    printLine(
      ctx,
      `${schema.name}:${version.version}  ${version.format}  ${version.status}  sha256 ${version.sha256}`,
    );
    printLine(ctx, `file: schemas/${version.file}`);
    printLine(ctx);
    printLine(ctx, source ?? "(source file missing)");
    return;
  }
  if (options.json) return printJson(ctx, schema);
  printLine(ctx, `${schema.name}${schema.description ? `: ${schema.description}` : ""}`);
  const rows = schema.versions.map((v) => [
    v.version,
    v.format,
    v.status,
    v.effective_from,
    v.file,
    v.sha256.slice(0, 16),
  ]);
  printTable(ctx, ["VERSION", "FORMAT", "STATUS", "FROM", "FILE", "SHA256"], rows);
}

async function setStatus(ctx: CliContext, ref: string, status: string, options: DirOptions): Promise<void> {
  if (!(SCHEMA_STATUSES as readonly string[]).includes(status)) {
    const hint = suggest(status, SCHEMA_STATUSES);
    const mean = hint ? ` Did you mean '${hint}'?` : "";
    throw new ValidationError(`unknown schema status '${status}'.${mean}`, [
      `valid statuses: ${SCHEMA_STATUSES.join(", ")}`,
    ]);
  }
  if (!ref.includes(":")) throw new ValidationError(`'${ref}' needs a version: NAME:VERSION, e.g. trade:v1`);
  const tree = await openTree(ctx, options);
  const { entry, schema, version } = resolveSchemaRef(tree, ref);
  const index = schema.versions.indexOf(version as SchemaVersion);
  await editFile("schema", entry.path, (doc) => doc.setIn(["versions", index, "status"], status));
  printLine(ctx, check(ctx, true, `${ref}: ${version?.status} → ${status}`));
}

async function compat(
  ctx: CliContext,
  name: string,
  options: JsonOptions & { from: string; to: string },
): Promise<void> {
  const tree = await openTree(ctx, options);
  const { schema } = resolveSchemaRef(tree, name);
  const from = requireSchemaVersion(schema, options.from);
  const to = requireSchemaVersion(schema, options.to);
  if (from.format !== to.format)
    throw new ValidationError(
      `${from.version} is ${from.format} but ${to.version} is ${to.format}: not comparable`,
    );
  const read = (v: SchemaVersion) => readFile(join(tree.dir, "schemas", v.file), "utf8");
  const report = compareSchemas(from.format, await read(from), await read(to));
  if (options.json) printJson(ctx, { schema: name, from: from.version, to: to.version, ...report });
  else {
    printLine(
      ctx,
      check(
        ctx,
        report.compatible,
        `${name} ${to.version} ${report.compatible ? "can" : "cannot"} read data written with ${from.version}`,
      ),
    );
    for (const line of report.breaking) printLine(ctx, `  breaking: ${line}`);
    for (const line of report.additions) printLine(ctx, `  added:    ${line}`);
    for (const line of report.notes) printLine(ctx, `  note:     ${line}`);
  }
  if (!report.compatible)
    throw new ValidationError(
      `${name}:${to.version} is not backward compatible with ${from.version}`,
      report.breaking,
    );
}

export const schemaCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const schema = program
      .command("schema")
      .description("list, show, register and check schemas (exchanges/schemas/)");
    schema.addHelpText("after", "\nExample:\n  ssmd schema show trade:v1\n");
    withDirOption(schema.command("list"))
      .description("list every schema version with its status")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd schema list --json\n")
      .action((options: JsonOptions) => listSchemas(ctx, options));
    withDirOption(schema.command("show"))
      .description("show a schema, or one version with its source")
      .argument("<ref>", "NAME or NAME:VERSION")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd schema show orderbook:v1\n")
      .action((ref: string, options: JsonOptions) => showSchema(ctx, ref, options));
    registerSchemaRegister(schema, ctx);
    withDirOption(schema.command("set-status"))
      .description("set a version's status")
      .argument("<ref>", "NAME:VERSION")
      .argument("<status>", SCHEMA_STATUSES.join("|"))
      .addHelpText("after", "\nExample:\n  ssmd schema set-status trade:v2 active\n")
      .action((ref: string, status: string, options: DirOptions) => setStatus(ctx, ref, status, options));
    registerSchemaHash(schema, ctx);
    withDirOption(schema.command("compat"))
      .description("check that --to can read data written with --from (exit 1 if not)")
      .argument("<name>", "schema name")
      .requiredOption("--from <version>", "older version")
      .requiredOption("--to <version>", "newer version")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd schema compat trade --from v1 --to v2\n")
      .action((name: string, options: JsonOptions & { from: string; to: string }) =>
        compat(ctx, name, options),
      );
  },
};
