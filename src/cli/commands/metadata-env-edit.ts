/** `ssmd env create|update|add-key`: environment files written and edited round-trip. */
import { join } from "node:path";
import type { Command } from "commander";
import { Document, parse as parseYamlValue } from "yaml";
import { ConflictError, ValidationError } from "../../core/errors.js";
import { createFile, type ExtraCheck, editFile, renderYaml } from "../../metadata/edit.js";
import { checkEnvironmentFile } from "../../metadata/environment-file.js";
import { fileReferenceProblems } from "../../metadata/references.js";
import type { MetadataTree } from "../../metadata/tree.js";
import type { CliContext } from "../context.js";
import { check, printLine } from "../output.js";
import {
  type DirOptions,
  openTree,
  requireEntry,
  requireNewName,
  splitList,
  withDirOption,
} from "./metadata-common.js";

type Flags = DirOptions & Record<string, string | string[] | boolean | undefined>;

/** Flag → path in the file. `--transport.subject-prefix` is read by commander as `transport.subjectPrefix`. */
const FLAG_PATHS: [string, string, string[]][] = [
  ["--feed <name>", "feed", ["feed"]],
  ["--schema <name:version>", "schema", ["schema"]],
  ["--transport.type <type>", "transport.type", ["transport", "type"]],
  ["--transport.url <url>", "transport.url", ["transport", "url"]],
  ["--transport.stream <stream>", "transport.stream", ["transport", "stream"]],
  ["--transport.subject-prefix <prefix>", "transport.subjectPrefix", ["transport", "subject_prefix"]],
  ["--storage.type <type>", "storage.type", ["storage", "type"]],
  ["--storage.path <path>", "storage.path", ["storage", "path"]],
  ["--storage.bucket <bucket>", "storage.bucket", ["storage", "bucket"]],
  ["--storage.region <region>", "storage.region", ["storage", "region"]],
  ["--storage.endpoint <url>", "storage.endpoint", ["storage", "endpoint"]],
  ["--storage.prefix <prefix>", "storage.prefix", ["storage", "prefix"]],
  ["--channels <list>", "channels", ["subscription", "channels"]],
  ["--series <list>", "series", ["subscription", "series"]],
  ["--categories <list>", "categories", ["subscription", "categories"]],
];
const LIST_FLAGS = new Set(["channels", "series", "categories"]);

function flagChanges(options: Flags): [string[], unknown][] {
  const changes: [string[], unknown][] = [];
  for (const [, key, path] of FLAG_PATHS) {
    const value = options[key];
    if (typeof value !== "string") continue;
    changes.push([path, LIST_FLAGS.has(key) ? splitList(value) : value]);
  }
  for (const assignment of (options.set as string[] | undefined) ?? [])
    changes.push(parseAssignment(assignment));
  return changes;
}

/** `transport.url=nats://...` → path and YAML-typed value (numbers and booleans stay typed). */
function parseAssignment(text: string): [string[], unknown] {
  const at = text.indexOf("=");
  if (at <= 0)
    throw new ValidationError(`--set '${text}' is not KEY=VALUE`, [
      "e.g. --set subscription.max_markets_per_connection=100",
    ]);
  return [text.slice(0, at).split("."), parseYamlValue(text.slice(at + 1)) as unknown];
}

function referencesCheck(tree: MetadataTree): ExtraCheck {
  return (file) => {
    const { environment } = checkEnvironmentFile(file);
    return environment ? fileReferenceProblems(tree, file, environment) : [];
  };
}

async function createEnvironment(ctx: CliContext, name: string, options: Flags): Promise<void> {
  requireNewName("environment", name);
  const tree = await openTree(ctx, options);
  if (tree.environments.has(name))
    throw new ConflictError(`environment '${name}' already exists (use: ssmd env update ${name})`);
  const doc = new Document({ name });
  for (const [path, value] of flagChanges(options)) doc.setIn(path, value);
  if (typeof options.keySource === "string") {
    doc.setIn(["keys", "kalshi"], {
      type: "api_key",
      required: true,
      fields: ["api_key", "private_key"],
      source: options.keySource,
    });
  }
  const path = join(tree.dir, "environments", `${name}.yaml`);
  await createFile("environment", path, renderYaml(doc), referencesCheck(tree));
  printLine(ctx, check(ctx, true, `created environment '${name}' (${path})`));
}

async function updateEnvironment(ctx: CliContext, name: string, options: Flags): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.environments, "environment", name);
  const changes = flagChanges(options);
  if (changes.length === 0)
    throw new ValidationError("nothing to update", [
      "give flags such as --schema trade:v2 or --set KEY=VALUE",
    ]);
  await editFile(
    "environment",
    entry.path,
    (doc) => {
      for (const [path, value] of changes) doc.setIn(path, value);
    },
    referencesCheck(tree),
  );
  printLine(
    ctx,
    check(ctx, true, `updated environment '${name}': ${changes.map(([p]) => p.join(".")).join(", ")}`),
  );
}

interface AddKeyOptions extends DirOptions {
  source: string;
  fields?: string;
  type: string;
  optional?: boolean;
}

async function addKey(ctx: CliContext, name: string, key: string, options: AddKeyOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.environments, "environment", name);
  if (entry.config?.keys[key]) throw new ConflictError(`environment '${name}' already has key '${key}'`);
  const spec = {
    type: options.type,
    required: !options.optional,
    fields: splitList(options.fields) ?? [],
    source: options.source,
  };
  await editFile(
    "environment",
    entry.path,
    (doc) => doc.setIn(["keys", key], doc.createNode(spec)),
    referencesCheck(tree),
  );
  printLine(ctx, check(ctx, true, `added key '${key}' to '${name}' (source ${options.source})`));
}

function withFieldFlags(command: Command): Command {
  for (const [flag] of FLAG_PATHS) command.option(flag);
  return command.option("--set <key=value...>", "set any field by dotted path (repeatable)");
}

export function registerEnvEdits(env: Command, ctx: CliContext): void {
  withFieldFlags(withDirOption(env.command("create")))
    .description("create an environment (references are checked before anything is written)")
    .argument("<name>", "environment name (= file name)")
    .option(
      "--key-source <source>",
      "source of the 'kalshi' api key: env:VAR[,VAR] | file:PATH | sealed-secret:NS/NAME",
    )
    .addHelpText(
      "after",
      "\nExample:\n  ssmd env create kalshi-test --feed kalshi --schema trade:v1 --transport.type nats --transport.url nats://localhost:4222 --transport.stream TEST_KALSHI --storage.type local --storage.path ./data\n",
    )
    .action((name: string, options: Flags) => createEnvironment(ctx, name, options));
  withFieldFlags(withDirOption(env.command("update")))
    .description("change fields of an environment (comments and key order are kept)")
    .argument("<name>", "environment name")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd env update kalshi-dev --transport.stream DEV2_KALSHI --set subscription.max_markets_per_connection=100\n",
    )
    .action((name: string, options: Flags) => updateEnvironment(ctx, name, options));
  withDirOption(env.command("add-key"))
    .description("declare a key the environment needs and where it comes from")
    .argument("<name>", "environment name")
    .argument("<key>", "key name, e.g. kalshi")
    .requiredOption("--source <source>", "env:VAR[,VAR] | file:PATH | sealed-secret:NS/NAME")
    .option("--fields <list>", "comma-separated fields, e.g. api_key,private_key")
    .option("--type <type>", "key type", "api_key")
    .option("--optional", "not required")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd env add-key kalshi-dev kalshi --source env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY --fields api_key,private_key\n",
    )
    .action((name: string, key: string, options: AddKeyOptions) => addKey(ctx, name, key, options));
}
