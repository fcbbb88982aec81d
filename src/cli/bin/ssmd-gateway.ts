#!/usr/bin/env node
/** `ssmd-gateway ...` = `ssmd gateway ...` (container/k8s name). */
import { createContext } from "../context.js";
import { runCli } from "../program.js";
import { exitQuietlyOnBrokenPipe } from "../stdio-guard.js";

exitQuietlyOnBrokenPipe();
process.exitCode = await runCli(["gateway", ...process.argv.slice(2)], createContext());
