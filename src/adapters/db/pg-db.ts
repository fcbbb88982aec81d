/**
 * Db over a PostgreSQL server through a `pg` Pool. Connection failures become one
 * UnavailableError naming the (redacted) URL; statement errors pass through unchanged.
 */
import pg from "pg";
import type { Db, Queryable, Row, SqlValue } from "./db.js";
import { isConnectionError, redactUrl, unavailable } from "./unavailable.js";

export interface PgDbOptions {
  url: string;
  /** Pool size; default 4. */
  maxConnections?: number;
  connectTimeoutMs?: number;
}

export async function openPgDb(options: PgDbOptions): Promise<Db> {
  const location = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  pool.on("error", () => {}); // idle-client errors surface on the next query
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw isConnectionError(error) ? unavailable(location, error) : error;
    }
  };
  const on = (client: pg.Pool | pg.PoolClient): Queryable => ({
    query: (sql: string, params: SqlValue[] = []) =>
      guard(async () => (await client.query(sql, params)).rows as Row[]),
    exec: (sql: string) => guard(async () => void (await client.query(sql))),
  });
  await guard(async () => void (await pool.query("SELECT 1")));
  return {
    kind: "postgres",
    location,
    ...on(pool),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await guard(() => pool.connect());
      try {
        await client.query("BEGIN");
        const result = await work(on(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw isConnectionError(error) ? unavailable(location, error) : error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
