/** `ssmd init [--dir D]`: bootstrap the exchanges tree (never clobbers edits). */
import type { Command } from "commander";
import { initTree } from "../../metadata/bootstrap/init-tree.js";
import type { CliContext } from "../context.js";
import { printJson, printLine } from "../output.js";
import type { CommandModule } from "./command-module.js";
import { type DirOptions, exchangesDir, withDirOption } from "./metadata-common.js";

export const initCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    withDirOption(program.command("init"))
      .description("create the exchanges/ tree with the Kalshi feeds, schemas and environments")
      .option("--json", "print what was created as JSON")
      .addHelpText("after", "\nExample:\n  ssmd init --dir ./exchanges && ssmd validate --dir ./exchanges\n")
      .action(async (options: DirOptions & { json?: boolean }) => {
        const result = await initTree(exchangesDir(ctx, options), ctx.env);
        if (options.json) return printJson(ctx, result);
        printLine(ctx, `Initialized ${result.dir}`);
        for (const path of result.created) printLine(ctx, `  created ${path}`);
        for (const path of result.kept) printLine(ctx, `  kept    ${path} (exists)`);
        if (result.gitInitialized) printLine(ctx, "  git init (not inside a git work tree)");
        printLine(ctx, "Next: ssmd validate, then ssmd commit -m 'initial metadata'");
      });
  },
};
