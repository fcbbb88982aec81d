/** `ssmd validate [--check-keys] [PATH]`: every problem in the tree, exit 1 if any. */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { problemCount } from "../../metadata/problems.js";
import { validateTree } from "../../metadata/validate-tree.js";
import type { CliContext } from "../context.js";
import { check, printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, openTree, withDirOption } from "./metadata-common.js";

interface ValidateOptions extends DirOptions {
  checkKeys?: boolean;
  json?: boolean;
}

/** A metadata file given as PATH: validated with its tree, only its problems reported. */
function singleFile(path: string): string | undefined {
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  if (!["feeds", "schemas", "environments"].includes(basename(dirname(path)))) {
    throw new ValidationError(`${path} is not a metadata file`, [
      "expected exchanges/feeds/*.yaml, schemas/*.yaml or environments/*.yaml (or a directory)",
    ]);
  }
  return path;
}

export const validateCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    withDirOption(program.command("validate"))
      .description("validate every feed, schema and environment (references, hashes, dates, ...)")
      .argument("[path]", "exchanges directory (same as --dir), or one file in it")
      .option("--check-keys", "also check that required keys are present and parse")
      .option("--json", "print the result as JSON")
      .addHelpText("after", "\nExample:\n  ssmd validate --check-keys ./exchanges\n")
      .action(async (path: string | undefined, options: ValidateOptions) => {
        const file = path === undefined ? undefined : singleFile(resolve(ctx.cwd, path));
        const tree = await openTree(ctx, { dir: file ? dirname(dirname(file)) : (path ?? options.dir) });
        const all = validateTree(tree, { checkKeys: options.checkKeys, env: ctx.env, cwd: ctx.cwd });
        const problems = file ? all.filter((problem) => problem.startsWith(`${file}:`)) : all;
        const counts = {
          feeds: tree.feeds.size,
          schemas: tree.schemas.size,
          environments: tree.environments.size,
        };
        if (options.json) printJson(ctx, { dir: tree.dir, ok: problems.length === 0, counts, problems });
        else if (problems.length === 0) {
          const summary = `${counts.feeds} feeds, ${counts.schemas} schemas, ${counts.environments} environments`;
          printLine(ctx, check(ctx, true, file ? `${file} valid` : `${tree.dir}: ${summary} valid`));
        }
        if (problems.length > 0) {
          throw new ValidationError(`${file ?? tree.dir}: ${problemCount(problems.length)}`, problems);
        }
      });
  },
};
