#!/usr/bin/env node
// The npm registry reachable from ssmd's build machines serves only linux-x64 builds of packages with
// per-platform binaries, so `npm install` cannot record the other platforms' optional packages in
// package-lock.json, and `npm ci` then refuses the lockfile ("Missing: ... from lock file").
// This adds the entries a full registry would have produced: optional, with os/cpu/libc, so npm
// never fetches them on a machine of another platform. Run after any `npm install`:
//   node scripts/lockfile-platforms.mjs
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|ia32|arm)(-(musl|gnu))?$/;
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;

for (const entry of Object.values(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const match = PLATFORM.exec(name);
    if (packages[key] || !match) continue;
    const [, os, cpu, , libc] = match;
    packages[key] = {
      version,
      ...(libc ? { libc: [libc] } : {}),
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries to package-lock.json`);
