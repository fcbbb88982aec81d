/** `ssmd diff`: uncommitted changes in the exchanges tree (from git). */
import type { Command } from "commander";
import { git, gitOk, hasHead, requireWorkTree } from "../../metadata/git.js";
import type { CliContext } from "../context.js";
import { printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, exchangesDir, openTree, withDirOption } from "./metadata-common.js";

export interface Change {
  status: string;
  path: string;
}

/** `git status --porcelain` of the tree only. */
export async function treeChanges(dir: string, env: CliContext["env"]): Promise<Change[]> {
  await requireWorkTree(dir, env);
  const out = await gitOk(dir, ["status", "--porcelain", "--untracked-files=all", "--", "."], env);
  return out
    .split("\n")
    .filter((line) => line.length > 3)
    .map((line) => ({ status: line.slice(0, 2).trim() || "?", path: line.slice(3) }));
}

async function treeDiff(dir: string, changes: Change[], env: CliContext["env"]): Promise<string> {
  const tracked = (await hasHead(dir, env))
    ? await gitOk(dir, ["diff", "--no-color", "HEAD", "--", "."], env)
    : "";
  let untracked = "";
  const root = (await gitOk(dir, ["rev-parse", "--show-toplevel"], env)).trim();
  for (const change of changes.filter((c) => c.status === "??")) {
    const result = await git(root, ["diff", "--no-color", "--no-index", "--", "/dev/null", change.path], env);
    untracked += result.stdout;
  }
  return tracked + untracked;
}

export const diffCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    withDirOption(program.command("diff"))
      .description("show uncommitted changes to feeds, schemas and environments")
      .option("--json", "print as JSON")
      .option("--stat", "only list changed files")
      .addHelpText("after", "\nExample:\n  ssmd diff --stat\n")
      .action(async (options: DirOptions & { json?: boolean; stat?: boolean }) => {
        await openTree(ctx, options);
        const dir = exchangesDir(ctx, options);
        const changes = await treeChanges(dir, ctx.env);
        const text = options.stat ? "" : await treeDiff(dir, changes, ctx.env);
        if (options.json) return printJson(ctx, { dir, changes, diff: text });
        if (changes.length === 0) return printLine(ctx, "no uncommitted changes");
        for (const change of changes) printLine(ctx, `${change.status.padEnd(2)} ${change.path}`);
        if (text) ctx.stdout.write(`\n${text}`);
      });
  },
};
