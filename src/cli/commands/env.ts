/** `ssmd env list|show|history|diff` (+ create/update/add-key, validate/apply): environments. */
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { checkEnvironmentFile } from "../../metadata/environment-file.js";
import { fileVersions, gitOk, showAt, versionAsOf, versionByNumber } from "../../metadata/git.js";
import { parseYamlText } from "../../metadata/yaml-file.js";
import type { CliContext } from "../context.js";
import { printJson, printLine, printTable } from "../output.js";
import type { CommandModule } from "./command-module.js";
import {
  type DirOptions,
  openTree,
  requireDate,
  requireEntry,
  requireValid,
  requireVersionNumber,
  withDirOption,
} from "./metadata-common.js";
import { registerEnvApply } from "./metadata-env-apply.js";
import { registerEnvEdits } from "./metadata-env-edit.js";

interface JsonOptions extends DirOptions {
  json?: boolean;
}

async function listEnvironments(ctx: CliContext, options: JsonOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const rows = [...tree.environments.values()].map(({ name, config }) => ({
    name,
    valid: config !== undefined,
    feed: config?.feed,
    schema: config?.schema,
    transport: config?.transport.type,
    stream: config?.transport.stream,
    subject_prefix: config?.transport.subject_prefix,
    storage: config
      ? config.storage.type === "local"
        ? `local:${config.storage.path}`
        : `s3:${config.storage.bucket}`
      : undefined,
  }));
  if (options.json) return printJson(ctx, rows);
  const cells = rows.map((r) => [
    r.name,
    r.feed,
    r.schema,
    r.transport,
    r.stream,
    r.storage,
    r.valid ? "yes" : "NO",
  ]);
  printTable(ctx, ["NAME", "FEED", "SCHEMA", "TRANSPORT", "STREAM", "STORAGE", "VALID"], cells);
}

async function showEnvironment(
  ctx: CliContext,
  name: string,
  options: JsonOptions & { asOf?: string },
): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.environments, "environment", name);
  if (options.asOf === undefined) {
    if (options.json) return printJson(ctx, requireValid(tree, entry));
    ctx.stdout.write(await readFile(entry.path, "utf8"));
    return;
  }
  const date = requireDate(options.asOf);
  const version = await versionAsOf(entry.path, date, ctx.env);
  if (!version) {
    const first = (await fileVersions(entry.path, ctx.env))[0];
    const hint = first
      ? `its first committed version is from ${first.date.slice(0, 10)}`
      : "it has not been committed yet";
    throw new ValidationError(`environment '${name}' has no committed version on or before ${date}`, [hint]);
  }
  const text = await showAt(entry.path, version.commit, ctx.env);
  if (options.json) {
    const outcome = checkEnvironmentFile(parseYamlText(entry.path, text), name);
    return printJson(ctx, {
      as_of: date,
      ...version,
      config: outcome.environment ?? null,
      problems: outcome.problems,
    });
  }
  printLine(
    ctx,
    `# ${name} as of ${date}: version ${version.version}, commit ${version.commit.slice(0, 12)}, ${version.date}, ${version.author}`,
  );
  ctx.stdout.write(text);
}

async function history(ctx: CliContext, name: string, options: JsonOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.environments, "environment", name);
  const versions = await fileVersions(entry.path, ctx.env);
  if (options.json) return printJson(ctx, versions);
  if (versions.length === 0)
    return printLine(ctx, `${name} has no committed versions yet (ssmd commit -m ...)`);
  const rows = versions.map((v) => [v.version, v.commit.slice(0, 12), v.date, v.author, v.message]);
  printTable(ctx, ["VERSION", "COMMIT", "DATE", "AUTHOR", "MESSAGE"], rows);
}

interface DiffOptions extends JsonOptions {
  v1: string;
  v2?: string;
}

async function diff(ctx: CliContext, name: string, options: DiffOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.environments, "environment", name);
  const what = `environment '${name}'`;
  const from = await versionByNumber(entry.path, what, requireVersionNumber(options.v1, "--v1"), ctx.env);
  const to =
    options.v2 === undefined
      ? undefined
      : await versionByNumber(entry.path, what, requireVersionNumber(options.v2, "--v2"), ctx.env);
  const commits = to ? [from.commit, to.commit] : [from.commit];
  const text = await gitOk(
    dirname(entry.path),
    ["diff", "--no-color", ...commits, "--", basename(entry.path)],
    ctx.env,
  );
  if (options.json)
    return printJson(ctx, { environment: name, v1: from, v2: to ?? "working copy", diff: text });
  if (text.length === 0)
    return printLine(
      ctx,
      `no differences between version ${from.version} and ${to ? `version ${to.version}` : "the working copy"}`,
    );
  ctx.stdout.write(text);
}

export const envCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const env = program
      .command("env")
      .description("environments (exchanges/environments/*.yaml) and their git history");
    env.addHelpText(
      "after",
      "\nExample:\n  ssmd env history kalshi-prod && ssmd env diff kalshi-prod --v1 1 --v2 2\n",
    );
    withDirOption(env.command("list"))
      .description("list environments")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd env list --json\n")
      .action((options: JsonOptions) => listEnvironments(ctx, options));
    withDirOption(env.command("show"))
      .description("show an environment file, or the version committed as of a date")
      .argument("<name>", "environment name")
      .option("--as-of <date>", "the version in force on this date (from git)")
      .option("--json", "print the resolved config as JSON")
      .addHelpText("after", "\nExample:\n  ssmd env show kalshi-prod --as-of 2026-06-01\n")
      .action((name: string, options: JsonOptions & { asOf?: string }) =>
        showEnvironment(ctx, name, options),
      );
    registerEnvEdits(env, ctx);
    registerEnvApply(env, ctx);
    withDirOption(env.command("history"))
      .description("every committed version: version, commit, date, author, message")
      .argument("<name>", "environment name")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd env history kalshi-dev\n")
      .action((name: string, options: JsonOptions) => history(ctx, name, options));
    withDirOption(env.command("diff"))
      .description("diff two committed versions (version N = N-th commit touching the file)")
      .argument("<name>", "environment name")
      .requiredOption("--v1 <n>", "older version number")
      .option("--v2 <n>", "newer version number (default: the working copy)")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd env diff kalshi-dev --v1 1 --v2 2\n")
      .action((name: string, options: DiffOptions) => diff(ctx, name, options));
  },
};
