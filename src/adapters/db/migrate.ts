/**
 * Versioned schema migrations: each runs once, in version order, inside its own transaction,
 * and is recorded in schema_migrations. An advisory lock keeps two processes from migrating
 * the same PostgreSQL database at once. A database newer than this code is refused.
 */
import { ConflictError } from "../../core/errors.js";
import { type Db, intOf } from "./db.js";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const LOCK_ID = 7_070_707;

export async function applyMigrations(db: Db, migrations: readonly Migration[]): Promise<number[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       version INTEGER PRIMARY KEY,
       name TEXT NOT NULL,
       applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  );
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const applied: number[] = [];
  for (const migration of ordered) {
    const ran = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
      const done = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  await refuseNewer(db, ordered.at(-1)?.version ?? 0);
  return applied;
}

async function refuseNewer(db: Db, known: number): Promise<void> {
  const version = await schemaVersion(db);
  if (version > known) {
    throw new ConflictError(`database schema version ${version} is newer than this ssmd (${known})`, {
      details: ["upgrade ssmd before using this database"],
    });
  }
}

export async function schemaVersion(db: Db): Promise<number> {
  const [row] = await db.query("SELECT COALESCE(MAX(version), 0)::text AS version FROM schema_migrations");
  return row ? intOf(row, "version") : 0;
}
