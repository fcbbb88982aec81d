/**
 * The Db port against both implementations (real PostgreSQL, PGlite in a directory):
 * migrations, parameters, exact NUMERIC text, transactions, and the errors users see.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../src/adapters/db/db.js";
import { applyMigrations, schemaVersion } from "../../src/adapters/db/migrate.js";
import { MIGRATIONS } from "../../src/adapters/db/migrations/index.js";
import { openDb } from "../../src/adapters/db/open-db.js";
import { ConfigError, ConflictError, UnavailableError } from "../../src/core/errors.js";
import { BACKENDS } from "../helpers/secmaster-dbs.js";

for (const backend of BACKENDS) {
  describe(`Db contract: ${backend.name}`, () => {
    let db: Db;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ db, cleanup } = await backend.open());
    });
    after(() => cleanup());

    test("migrations ran once and re-running applies nothing", async () => {
      assert.equal(await schemaVersion(db), MIGRATIONS.at(-1)?.version);
      assert.deepEqual(await applyMigrations(db, MIGRATIONS), []);
      const tables = await db.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      const names = tables.map((row) => row.table_name);
      for (const table of [
        "changes",
        "events",
        "lifecycle_events",
        "markets",
        "schema_migrations",
        "series",
        "sync_runs",
      ])
        assert.ok(names.includes(table), `table ${table} exists`);
    });

    test("NUMERIC keeps exact decimals as text; arrays with NULLs pass through", async () => {
      await db.exec("CREATE TABLE t_exact (p NUMERIC(12,4), c NUMERIC(20,2))");
      await db.query("INSERT INTO t_exact VALUES ($1::numeric, $2::numeric)", ["0.0001", "123456789012.34"]);
      const [row] = await db.query("SELECT p::text AS p, c::text AS c, (p * 3)::text AS triple FROM t_exact");
      assert.deepEqual(row, { p: "0.0001", c: "123456789012.34", triple: "0.0003" });
      const [arrays] = await db.query(
        "SELECT array_length($1::text[], 1)::text AS n, ($1::text[])[2] IS NULL AS second_null",
        [["a", null, "c"]],
      );
      assert.deepEqual(arrays, { n: "3", second_null: true });
    });

    test("transaction commits on success and rolls back on error", async () => {
      await db.exec("CREATE TABLE t_tx (v TEXT)");
      await db.transaction(async (tx) => {
        await tx.query("INSERT INTO t_tx VALUES ('kept')");
      });
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query("INSERT INTO t_tx VALUES ('dropped')");
          throw new ConflictError("abort on purpose");
        }),
        ConflictError,
      );
      const rows = await db.query("SELECT v FROM t_tx ORDER BY v");
      assert.deepEqual(rows, [{ v: "kept" }]);
    });

    test("a database migrated by a newer ssmd is refused", async () => {
      await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')");
      try {
        await assert.rejects(applyMigrations(db, MIGRATIONS), ConflictError);
      } finally {
        await db.query("DELETE FROM schema_migrations WHERE version = 999");
      }
    });
  });
}

describe("Db errors", () => {
  test("an unreachable PostgreSQL is one UnavailableError naming it without the password", async () => {
    const error = await openDb("postgres://ssmd:s3cret@127.0.0.1:1/nowhere").catch((e: unknown) => e);
    assert.ok(error instanceof UnavailableError);
    assert.match(
      error.message,
      /secmaster database unreachable at postgres:\/\/ssmd@127\.0\.0\.1:1\/nowhere/,
    );
    assert.doesNotMatch(error.message, /s3cret/);
  });

  test("a missing database is UnavailableError too", async () => {
    await assert.rejects(openDb("postgres://postgres@127.0.0.1:5432/ssmd_no_such_db_x"), UnavailableError);
  });

  test("an unknown URL scheme is a ConfigError listing the forms", async () => {
    const error = await openDb("mysql://x").catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.ok(error.details.some((line) => line.includes("pglite:")));
  });
});
