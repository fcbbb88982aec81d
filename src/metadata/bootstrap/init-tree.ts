/**
 * `ssmd init`: writes the starter tree. Existing files are never touched, so running it twice
 * keeps every edit. Outside a git work tree it runs `git init` (history comes from git).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../../core/errors.js";
import { type GitEnv, gitOk, isInsideWorkTree } from "../git.js";
import { sha256 } from "../schema-file.js";
import { CAPNP_SOURCES, SCHEMA_DESCRIPTIONS } from "./capnp-sources.js";
import { ENVIRONMENT_TEMPLATES } from "./environment-templates.js";
import { KALSHI_FEED, KALSHI_SIM_FEED } from "./feed-templates.js";

export interface InitResult {
  dir: string;
  created: string[];
  kept: string[];
  gitInitialized: boolean;
}

/** Relative path → content of every starter file. */
export function starterFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set("feeds/kalshi.yaml", KALSHI_FEED);
  files.set("feeds/kalshi-sim.yaml", KALSHI_SIM_FEED);
  for (const [fileName, source] of Object.entries(CAPNP_SOURCES)) {
    const name = fileName.replace(/\.v1\.capnp$/, "");
    files.set(`schemas/${fileName}`, source);
    files.set(`schemas/${name}.yaml`, schemaYaml(name, fileName, source));
  }
  for (const [name, text] of Object.entries(ENVIRONMENT_TEMPLATES))
    files.set(`environments/${name}.yaml`, text);
  return files;
}

function schemaYaml(name: string, fileName: string, source: string): string {
  return `# ${SCHEMA_DESCRIPTIONS[name] ?? name}. sha256 is checked by \`ssmd validate\`.
name: ${name}
description: ${JSON.stringify(SCHEMA_DESCRIPTIONS[name] ?? name)}
versions:
  - version: v1
    format: capnp
    file: ${fileName}
    sha256: ${sha256(source)}
    status: active
    effective_from: 2025-01-01
`;
}

export async function initTree(dir: string, env: GitEnv): Promise<InitResult> {
  await mkdir(dir, { recursive: true });
  const created: string[] = [];
  const kept: string[] = [];
  for (const [relative, text] of starterFiles()) {
    const path = join(dir, relative);
    await mkdir(join(path, ".."), { recursive: true });
    try {
      await writeFile(path, text, { flag: "wx" });
      created.push(relative);
    } catch (error) {
      if ((error as { code?: unknown }).code !== "EEXIST") {
        throw new ConfigError(`cannot write ${path}`, { cause: error });
      }
      kept.push(relative);
    }
  }
  const gitInitialized = !(await isInsideWorkTree(dir, env));
  if (gitInitialized) await gitOk(dir, ["init", "--quiet"], env);
  return { dir, created, kept, gitInitialized };
}
