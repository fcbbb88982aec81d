/** `ssmd validate [--check-keys] [PATH]`: every problem in the tree, exit 1 if any. */
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { validateTree } from "../../metadata/validate-tree.js";
import type { CliContext } from "../context.js";
import { check, printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, openTree, withDirOption } from "./metadata-common.js";

interface ValidateOptions extends DirOptions {
  checkKeys?: boolean;
  json?: boolean;
}

export const validateCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    withDirOption(program.command("validate"))
      .description("validate every feed, schema and environment (references, hashes, dates, ...)")
      .argument("[path]", "exchanges directory to validate (same as --dir)")
      .option("--check-keys", "also check that required keys are present and parse")
      .option("--json", "print the result as JSON")
      .addHelpText("after", "\nExample:\n  ssmd validate --check-keys ./exchanges\n")
      .action(async (path: string | undefined, options: ValidateOptions) => {
        const tree = await openTree(ctx, { dir: path ?? options.dir });
        const problems = validateTree(tree, { checkKeys: options.checkKeys, env: ctx.env, cwd: ctx.cwd });
        const counts = {
          feeds: tree.feeds.size,
          schemas: tree.schemas.size,
          environments: tree.environments.size,
        };
        if (options.json) printJson(ctx, { dir: tree.dir, ok: problems.length === 0, counts, problems });
        else if (problems.length === 0) {
          const summary = `${counts.feeds} feeds, ${counts.schemas} schemas, ${counts.environments} environments`;
          printLine(ctx, check(ctx, true, `${tree.dir}: ${summary} valid`));
        }
        if (problems.length > 0) {
          throw new ValidationError(
            `${tree.dir}: ${problems.length} problem${problems.length === 1 ? "" : "s"}`,
            problems,
          );
        }
      });
  },
};
