/** `ssmd market list|sync|show`: aliases of the same `ssmd secmaster` sub-commands. */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";
import { registerList, registerShow, registerSync } from "./secmaster.js";

export const marketCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const market = program
      .command("market")
      .description("markets from the security master (aliases of ssmd secmaster list|sync|show)")
      .addHelpText("after", "\nExample:\n  ssmd market list kalshi-sim --status open --json\n");
    registerList(market, ctx);
    registerSync(market, ctx);
    registerShow(market, ctx);
  },
};
