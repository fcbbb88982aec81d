/**
 * `ssmd data query "SELECT ..."`: SQL over archived days through DuckDB, with the views
 * trades, tickers, orderbook and lifecycle (export-columns.ts) built from staged rows.
 * Results come back as JSON-safe values: DECIMALs as exact strings, timestamps as text.
 */
import { ValidationError } from "../../core/errors.js";
import { stagedSource } from "./duckdb-export.js";
import { EXPORT_TYPES, selectList, VIEW_OF_TYPE } from "./export-columns.js";
import type { StagedDay } from "./staging.js";

export interface QueryResult {
  columns: string[];
  rows: Record<string, unknown>[];
}

export async function runQuery(days: StagedDay[], sql: string, maxRows = 10_000): Promise<QueryResult> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    for (const type of EXPORT_TYPES) {
      const paths = days.map((day) => day.files[type]).filter((path): path is string => path !== undefined);
      if (paths.length === 0) continue;
      await connection.run(
        `CREATE VIEW ${VIEW_OF_TYPE[type]} AS SELECT ${selectList(type)} FROM ${stagedSource(type, paths)}`,
      );
    }
    let reader: Awaited<ReturnType<typeof connection.runAndReadUntil>>;
    try {
      reader = await connection.runAndReadUntil(sql, maxRows);
    } catch (error) {
      throw new ValidationError(`query failed: ${firstLine(error)}`, [
        `views: ${Object.values(VIEW_OF_TYPE).join(", ")}`,
      ]);
    }
    const rows = reader.getRowObjectsJson().slice(0, maxRows) as Record<string, unknown>[];
    return { columns: reader.columnNames(), rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}
