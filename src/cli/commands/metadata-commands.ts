/** Every GitOps metadata command (init, feed, schema, env, key, validate, diff, commit), as one module. */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";
import { commitCommand } from "./commit.js";
import { diffCommand } from "./diff.js";
import { envCommand } from "./env.js";
import { feedCommand } from "./feed.js";
import { initCommand } from "./init.js";
import { keyCommand } from "./key.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";

const modules: CommandModule[] = [
  initCommand,
  feedCommand,
  schemaCommand,
  envCommand,
  keyCommand,
  validateCommand,
  diffCommand,
  commitCommand,
];

export const metadataCommands: CommandModule = {
  register(program: Command, ctx: CliContext) {
    for (const module of modules) module.register(program, ctx);
  },
};
