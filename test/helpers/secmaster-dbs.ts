/**
 * The two database backends every secmaster/db contract test runs against: a fresh database on
 * the real PostgreSQL server, and PGlite in a temp directory (one instance per test file: it
 * takes seconds to start).
 */
import type { Db } from "../../src/adapters/db/db.js";
import { openDb } from "../../src/adapters/db/open-db.js";
import { createTestDatabase } from "./postgres.js";
import { tempDir } from "./tmp.js";

export interface Backend {
  name: "postgres" | "pglite";
  open(): Promise<{ db: Db; url: string; cleanup(): Promise<void> }>;
}

export const BACKENDS: Backend[] = [
  {
    name: "postgres",
    async open() {
      const database = await createTestDatabase("ssmd_secmaster");
      const db = await openDb(database.url);
      return {
        db,
        url: database.url,
        async cleanup() {
          await db.close();
          await database.drop();
        },
      };
    },
  },
  {
    name: "pglite",
    async open() {
      const dir = await tempDir("ssmd-pglite-");
      const url = `pglite:${dir.path}/db`;
      const db = await openDb(url);
      return {
        db,
        url,
        async cleanup() {
          await db.close();
          await dir.cleanup();
        },
      };
    },
  },
];
