/** `ssmd data ...`: read, serve, replay and export the archive. */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";
import { registerBrowse } from "./data-browse.js";
import { registerExport } from "./data-export.js";
import { registerInventory } from "./data-inventory.js";
import { registerReplay } from "./data-replay.js";
import { registerServe } from "./data-serve.js";

export const dataCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const data = program
      .command("data")
      .description("archived market data: list, sample, inventory, quality, serve, replay, export, query")
      .addHelpText(
        "after",
        "\nThe archive root is --path, else $SSMD_DATA_PATH (a directory or s3://bucket/prefix).\n\nExamples:\n  ssmd data inventory --feed kalshi --path ./data\n  SSMD_DATA_PATH=./data SSMD_API_KEY=dev ssmd data serve\n",
      );
    data.hook("preAction", () => quietOnClosedPipe(ctx));
    registerBrowse(data, ctx);
    registerInventory(data, ctx);
    registerServe(data, ctx);
    registerReplay(data, ctx);
    registerExport(data, ctx);
  },
};

/** `ssmd data ... | head` closes stdout early: stop writing quietly instead of crashing on EPIPE. */
function quietOnClosedPipe(ctx: CliContext): void {
  ctx.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}
