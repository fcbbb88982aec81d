#!/usr/bin/env node
/** Entry point of the `ssmd` command. The environment is read once, here. */
import { createContext } from "./context.js";
import { runCli } from "./program.js";
import { exitQuietlyOnBrokenPipe } from "./stdio-guard.js";

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnBrokenPipe();
  const code = await runCli(argv, createContext());
  process.exitCode = code;
}

await main(process.argv.slice(2));
