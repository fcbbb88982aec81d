/**
 * Every top-level command and the module that defines it. Modules are imported lazily: running
 * `ssmd data list` loads only the data commands (and their dependencies), which keeps start-up fast.
 * `ssmd --help` (or an unknown command) loads them all so help and suggestions are complete.
 */
import type { CommandModule } from "./command-module.js";

export interface CommandEntry {
  names: string[];
  load: () => Promise<CommandModule>;
}

export const commandEntries: CommandEntry[] = [
  {
    names: ["init", "feed", "schema", "env", "key", "validate", "diff", "commit"],
    load: async () => (await import("./metadata-commands.js")).metadataCommands,
  },
  { names: ["sim"], load: async () => (await import("./sim.js")).simCommand },
  { names: ["connector"], load: async () => (await import("./connector.js")).connectorCommand },
  { names: ["archiver"], load: async () => (await import("./archiver.js")).archiverCommand },
  { names: ["data"], load: async () => (await import("./data.js")).dataCommand },
  { names: ["demo"], load: async () => (await import("./demo.js")).demoCommand },
  { names: ["gateway"], load: async () => (await import("./gateway.js")).gatewayCommand },
  { names: ["secmaster"], load: async () => (await import("./secmaster-modules.js")).secmasterCommand },
  { names: ["market"], load: async () => (await import("./secmaster-modules.js")).marketCommand },
];

/** The modules needed for these arguments: the one owning the first word, or all of them. */
export async function loadCommandModules(argv: string[]): Promise<CommandModule[]> {
  const first = argv.find((arg) => !arg.startsWith("-"));
  const owner = commandEntries.find((entry) => first !== undefined && entry.names.includes(first));
  const entries = owner ? [owner] : commandEntries;
  return Promise.all(entries.map((entry) => entry.load()));
}
