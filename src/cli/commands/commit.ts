/** `ssmd commit -m MSG`: validate the whole tree, refuse on any problem, commit it (never pushes). */
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { gitOk } from "../../metadata/git.js";
import { problemCount } from "../../metadata/problems.js";
import { validateTree } from "../../metadata/validate-tree.js";
import type { CliContext } from "../context.js";
import { check, printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { treeChanges } from "./diff.js";
import { type DirOptions, openTree, withDirOption } from "./metadata-common.js";

interface CommitOptions extends DirOptions {
  message: string;
  json?: boolean;
}

async function commit(ctx: CliContext, options: CommitOptions): Promise<void> {
  if (options.message.trim() === "") throw new ValidationError("the commit message is empty");
  const tree = await openTree(ctx, options);
  const problems = validateTree(tree);
  if (problems.length > 0)
    throw new ValidationError(
      `refusing to commit: ${problemCount(problems.length)}; nothing committed`,
      problems,
    );
  const changes = await treeChanges(tree.dir, ctx.env);
  if (changes.length === 0) {
    if (options.json) return printJson(ctx, { committed: false, changes: [] });
    return printLine(ctx, "nothing to commit: the tree matches the last commit");
  }
  await gitOk(tree.dir, ["add", "--all", "--", "."], ctx.env);
  await gitOk(tree.dir, ["commit", "--quiet", "-m", options.message, "--", "."], ctx.env);
  const hash = (await gitOk(tree.dir, ["rev-parse", "HEAD"], ctx.env)).trim();
  if (options.json) return printJson(ctx, { committed: true, commit: hash, changes });
  printLine(
    ctx,
    check(ctx, true, `committed ${changes.length} file(s) as ${hash.slice(0, 12)}: ${options.message}`),
  );
}

export const commitCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    withDirOption(program.command("commit"))
      .description("validate the exchanges tree and commit it to git (refuses on errors, never pushes)")
      .requiredOption("-m, --message <message>", "commit message")
      .option("--json", "print the result as JSON")
      .addHelpText("after", "\nExample:\n  ssmd commit -m 'kalshi-dev: new stream'\n")
      .action((options: CommitOptions) => commit(ctx, options));
  },
};
