/**
 * Opens the database an environment names (`secmaster.url`) and brings its schema up to date:
 *   postgres://user@host:5432/db  (or postgresql://)  a PostgreSQL server
 *   pglite:./data/secmaster                           embedded PGlite in a directory (relative to `cwd`)
 *   pglite:memory                                     embedded, in memory (tests, dry runs)
 */
import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../../core/errors.js";
import type { Db } from "./db.js";
import { applyMigrations } from "./migrate.js";
import { MIGRATIONS } from "./migrations/index.js";
import { openPgDb } from "./pg-db.js";
import { openPgliteDb } from "./pglite-db.js";

export interface OpenDbOptions {
  /** Base directory for relative pglite paths. */
  cwd?: string;
  /** Apply pending migrations (default true). */
  migrate?: boolean;
}

export async function openDb(url: string, options: OpenDbOptions = {}): Promise<Db> {
  const db = await connect(url, options.cwd ?? process.cwd());
  if (options.migrate === false) return db;
  try {
    await applyMigrations(db, MIGRATIONS);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

function connect(url: string, cwd: string): Promise<Db> {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPgDb({ url });
  if (url.startsWith("pglite:")) {
    const path = url.slice("pglite:".length);
    if (path === "memory" || path === "") return openPgliteDb(undefined);
    return openPgliteDb(isAbsolute(path) ? path : resolve(cwd, path));
  }
  throw new ConfigError(`unsupported secmaster url '${url}'`, {
    details: ["use postgres://user@host:5432/db, pglite:./data/secmaster or pglite:memory"],
  });
}
