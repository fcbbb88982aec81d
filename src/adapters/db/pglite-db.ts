/**
 * Db over PGlite: PostgreSQL compiled to WebAssembly, running in this process with its data in
 * a directory (or in memory for `pglite:memory`). One process at a time may open a directory.
 * PGlite is loaded lazily: it is large and only the embedded setup needs it.
 */
import { mkdir } from "node:fs/promises";
import { errorMessage, UnavailableError } from "../../core/errors.js";
import type { Db, Queryable, Row, SqlValue } from "./db.js";

interface PgliteLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(sql: string): Promise<unknown>;
}

function wrap(target: PgliteLike): Queryable {
  return {
    query: async (sql: string, params: SqlValue[] = []) => (await target.query(sql, params)).rows as Row[],
    exec: async (sql: string) => void (await target.exec(sql)),
  };
}

/** `directory` undefined = in memory. */
export async function openPgliteDb(directory: string | undefined): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  const location = directory === undefined ? "pglite:memory" : `pglite:${directory}`;
  let db: InstanceType<typeof PGlite>;
  try {
    if (directory !== undefined) await mkdir(directory, { recursive: true });
    db = await PGlite.create(directory ?? "memory://");
  } catch (error) {
    throw new UnavailableError(
      `cannot open the embedded secmaster database ${location}: ${errorMessage(error)}`,
      {
        cause: error,
        details: ["is another ssmd process using this directory? PGlite allows one process at a time"],
      },
    );
  }
  return {
    kind: "pglite",
    location,
    ...wrap(db),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}
