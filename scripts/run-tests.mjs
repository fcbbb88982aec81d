#!/usr/bin/env node
// Runs every *.test.ts under the given folders (default: test/) with node's test runner and tsx.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const passThrough = process.argv.slice(2).filter((arg) => arg.startsWith("--"));

function find(path) {
  if (statSync(path).isFile()) return path.endsWith(".test.ts") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === "node_modules" ? [] : find(join(path, name))));
}

const files = (roots.length > 0 ? roots : ["test"]).flatMap(find);
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const concurrency = process.env.SSMD_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    ...passThrough,
    ...files,
  ],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
