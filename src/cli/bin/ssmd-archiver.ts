#!/usr/bin/env node
/** `ssmd-archiver ...` = `ssmd archiver ...` (container/k8s name). */
import { createContext } from "../context.js";
import { runCli } from "../program.js";
import { exitQuietlyOnBrokenPipe } from "../stdio-guard.js";

exitQuietlyOnBrokenPipe();
process.exitCode = await runCli(["archiver", ...process.argv.slice(2)], createContext());
