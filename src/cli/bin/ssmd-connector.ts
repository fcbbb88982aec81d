#!/usr/bin/env node
/** `ssmd-connector ...` = `ssmd connector ...` (container/k8s name). */
import { createContext } from "../context.js";
import { runCli } from "../program.js";
import { exitQuietlyOnBrokenPipe } from "../stdio-guard.js";

exitQuietlyOnBrokenPipe();
process.exitCode = await runCli(["connector", ...process.argv.slice(2)], createContext());
