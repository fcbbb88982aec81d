#!/usr/bin/env node
/** `ssmd-agent ...` = `ssmd agent ...` (container/k8s name). */
import { createContext } from "../context.js";
import { runCli } from "../program.js";

process.exitCode = await runCli(["agent", ...process.argv.slice(2)], createContext());
