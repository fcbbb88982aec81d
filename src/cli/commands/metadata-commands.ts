/** Every GitOps metadata command (init, feed, schema, env, key, validate, diff, commit), as one module. */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";
import { feedCommand } from "./feed.js";
import { initCommand } from "./init.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";

const modules: CommandModule[] = [initCommand, feedCommand, schemaCommand, validateCommand];

export const metadataCommands: CommandModule = {
  register(program: Command, ctx: CliContext) {
    for (const module of modules) module.register(program, ctx);
  },
};
