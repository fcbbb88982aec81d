/**
 * Every top-level command, one line each. Each module owns its own file under commands/.
 */
import { archiverCommand } from "./archiver.js";
import type { CommandModule } from "./command-module.js";
import { connectorCommand } from "./connector.js";
import { dataCommand } from "./data.js";
import { demoCommand } from "./demo.js";
import { gatewayCommand } from "./gateway.js";
import { metadataCommands } from "./metadata-commands.js";
import { marketCommand, secmasterCommand } from "./secmaster-modules.js";
import { simCommand } from "./sim.js";

export const commandModules: CommandModule[] = [metadataCommands, connectorCommand, simCommand, dataCommand, archiverCommand, demoCommand, gatewayCommand, secmasterCommand, marketCommand];
