/** Builds the commander program with every registered command. */
import { Command, CommanderError } from "commander";
import { loadCommandModules } from "./commands/index.js";
import type { CliContext } from "./context.js";
import { EXIT_USAGE, reportError } from "./exit.js";

export const VERSION = "0.1.0";

export async function buildProgram(ctx: CliContext, argv: string[] = []): Promise<Command> {
  const program = new Command("ssmd")
    .description("stupid simple market data: capture, stream and archive Kalshi market data")
    .version(VERSION)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => ctx.stdout.write(text),
      writeErr: (text) => ctx.stderr.write(text),
    })
    .exitOverride();
  program.addHelpText(
    "after",
    "\nExamples:\n  ssmd demo                      simulator + pipeline in one process\n  ssmd init && ssmd validate     bootstrap and check exchanges/\n",
  );
  for (const module of await loadCommandModules(argv)) module.register(program, ctx);
  return program;
}

/** Runs the CLI and returns the exit code (never throws). */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  try {
    const program = await buildProgram(ctx, argv);
    await program.parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
      if (error.code === "commander.help") return 0;
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    return reportError(ctx, error);
  }
}
