#!/usr/bin/env node
/** `ssmd-data ...` = `ssmd data serve ...` (container/k8s name). */
import { createContext } from "../context.js";
import { runCli } from "../program.js";
import { exitQuietlyOnBrokenPipe } from "../stdio-guard.js";

exitQuietlyOnBrokenPipe();
process.exitCode = await runCli(["data", "serve", ...process.argv.slice(2)], createContext());
