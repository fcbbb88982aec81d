/**
 * `npm run bench`: runs every bench/*.ts (each prints one JSON object with its figures, the baseline
 * measured in the same run and its targets) one after another, and prints them together as one JSON
 * document. A benchmark that fails or prints no JSON is reported as such; the exit code is 1 if any did.
 * Run one: `node --import tsx bench/<name>.ts`, or `npm run bench -- <name>`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const names = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts" && !file.startsWith("_"))
  .map((file) => file.replace(/\.ts$/, ""))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

interface BenchOutcome {
  name: string;
  ok: boolean;
  seconds: number;
  result?: unknown;
  error?: string;
}

function lastJsonObject(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

const outcomes: BenchOutcome[] = [];
for (const name of names) {
  const started = Date.now();
  process.stderr.write(`bench ${name} ...\n`);
  const child = spawnSync(process.execPath, ["--import", "tsx", join(here, `${name}.ts`)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - started) / 1000;
  const result = lastJsonObject(child.stdout ?? "");
  if (child.status === 0 && result !== undefined) outcomes.push({ name, ok: true, seconds, result });
  else outcomes.push({ name, ok: false, seconds, result, error: `exit ${child.status ?? child.signal}` });
}

process.stdout.write(`${JSON.stringify({ benchmarks: outcomes }, null, 2)}\n`);
process.exitCode = outcomes.every((outcome) => outcome.ok) ? 0 : 1;
