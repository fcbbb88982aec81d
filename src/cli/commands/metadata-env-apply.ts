/**
 * `ssmd env validate FILE` and `ssmd env apply FILE [--yes]`: check an environment file against
 * the metadata (and, for apply, the live infrastructure where reachable), print a ✓/✗ checklist,
 * ask "Proceed? [y/N]" and only then copy it into exchanges/environments/.
 */
import { readFile } from "node:fs/promises";
import { basename, extname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { ConflictError, ValidationError } from "../../core/errors.js";
import { writeAtomically } from "../../metadata/edit.js";
import { checkEnvironmentFile } from "../../metadata/environment-file.js";
import { type CheckItem, liveChecks } from "../../metadata/live-checks.js";
import { formatProblem } from "../../metadata/problems.js";
import { feedReference, schemaReference } from "../../metadata/references.js";
import type { MetadataTree } from "../../metadata/tree.js";
import type { EnvironmentConfig } from "../../metadata/types.js";
import { readYamlFile } from "../../metadata/yaml-file.js";
import type { CliContext } from "../context.js";
import { check, paint, printJson, printLine } from "../output.js";
import { type DirOptions, openTree, withDirOption } from "./metadata-common.js";

interface ApplyOptions extends DirOptions {
  yes?: boolean;
  json?: boolean;
}

/** Checks that need only the metadata: the file itself, its feed and its schema. */
async function metadataChecks(
  tree: MetadataTree,
  path: string,
): Promise<{ items: CheckItem[]; problems: string[]; environment?: EnvironmentConfig; text: string }> {
  const file = await readYamlFile(path);
  const { environment, problems } = checkEnvironmentFile(file, basename(path, extname(path)));
  const formatted = problems.map(formatProblem);
  if (!environment || problems.length > 0) {
    return {
      items: [{ status: "fail", text: `Environment file ${path} is invalid` }],
      problems: formatted,
      text: file.text,
    };
  }
  const items: CheckItem[] = [{ status: "ok", text: `Environment '${environment.name}' is well-formed` }];
  const feedIssues = feedReference(tree, environment);
  items.push(
    feedIssues.length === 0
      ? { status: "ok", text: `Feed '${environment.feed}' exists and is active` }
      : { status: "fail", text: feedIssues.map((i) => i.message).join("; ") },
  );
  const schemaIssues = schemaReference(tree, environment);
  items.push(
    schemaIssues.length === 0
      ? { status: "ok", text: `Schema '${environment.schema}' exists and is not draft` }
      : { status: "fail", text: schemaIssues.map((i) => i.message).join("; ") },
  );
  return { items, problems: [], environment, text: file.text };
}

function printChecklist(ctx: CliContext, items: CheckItem[], problems: string[]): void {
  for (const item of items) {
    if (item.status === "warn") printLine(ctx, `${paint(ctx, "yellow", "!")} ${item.text}`);
    else printLine(ctx, check(ctx, item.status === "ok", item.text));
  }
  for (const problem of problems) printLine(ctx, `    ${problem}`);
}

async function validateFile(ctx: CliContext, file: string, options: ApplyOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const { items, problems } = await metadataChecks(tree, resolve(ctx.cwd, file));
  const failed = items.filter((i) => i.status === "fail");
  if (options.json) printJson(ctx, { file, ok: failed.length === 0, checks: items, problems });
  else printChecklist(ctx, items, problems);
  if (failed.length > 0) throw new ValidationError(`${file}: ${failed.length} check(s) failed`);
}

async function apply(ctx: CliContext, file: string, options: ApplyOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const path = resolve(ctx.cwd, file);
  const result = await metadataChecks(tree, path);
  const live = result.environment ? await liveChecks(result.environment, { env: ctx.env, cwd: ctx.cwd }) : [];
  const items = [...result.items, ...live];
  printChecklist(ctx, items, result.problems);
  const failed = items.filter((i) => i.status === "fail");
  if (failed.length > 0 || !result.environment)
    throw new ValidationError(`not applied: ${failed.length} check(s) failed; nothing written`);
  const target = join(tree.dir, "environments", `${result.environment.name}.yaml`);
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === result.text) return printLine(ctx, `${target} is already up to date`);
  if (!options.yes && !(await confirm(ctx, `Write ${target}? Proceed? [y/N] `))) {
    throw new ConflictError("aborted; nothing written");
  }
  await writeAtomically(target, result.text);
  printLine(
    ctx,
    check(ctx, true, `applied ${result.environment.name} → ${target} (record it with: ssmd commit -m "...")`),
  );
}

/** Reads one line from stdin; only "y"/"yes" proceed. End of input means no. */
function confirm(ctx: CliContext, question: string): Promise<boolean> {
  ctx.stdout.write(question);
  return new Promise((resolvePromise) => {
    const reader = createInterface({ input: process.stdin, terminal: false });
    let answered = false;
    reader.once("line", (line) => {
      answered = true;
      reader.close();
      resolvePromise(/^y(es)?$/i.test(line.trim()));
    });
    reader.once("close", () => {
      if (!answered) {
        ctx.stdout.write("\n");
        resolvePromise(false);
      }
    });
  });
}

export function registerEnvApply(env: Command, ctx: CliContext): void {
  withDirOption(env.command("validate"))
    .description("check an environment file against the metadata (feed, schema, fields)")
    .argument("<file>", "environment YAML file")
    .option("--json", "print as JSON")
    .addHelpText("after", "\nExample:\n  ssmd env validate ./kalshi-staging.yaml\n")
    .action((file: string, options: ApplyOptions) => validateFile(ctx, file, options));
  withDirOption(env.command("apply"))
    .description("validate against metadata and live infrastructure, then write into exchanges/environments/")
    .argument("<file>", "environment YAML file")
    .option("--yes", "do not ask for confirmation")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd env apply ./kalshi-staging.yaml --yes && ssmd commit -m 'add staging'\n",
    )
    .action((file: string, options: ApplyOptions) => apply(ctx, file, options));
}
