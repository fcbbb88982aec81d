import type { Command } from "commander";
import type { CliContext } from "../context.js";

/** Each command file exports one of these; commands/index.ts lists them. */
export interface CommandModule {
  register(program: Command, ctx: CliContext): void;
}
