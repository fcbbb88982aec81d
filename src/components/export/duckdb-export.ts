/**
 * Writes staged rows as typed Parquet or CSV with DuckDB (@duckdb/node-api): one file per type
 * per day at {out}/{feed}/{date}/{type}.{parquet|csv}. DuckDB is loaded on first use only.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type ExportType, selectList, stagedColumns } from "./export-columns.js";
import type { StagedDay } from "./staging.js";

export type ExportFormat = "parquet" | "csv";

export interface ExportedFile {
  date: string;
  type: ExportType;
  path: string;
  rows: number;
}

export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** `read_csv(...)` over staged files of one type, typed per export-columns.ts. */
export function stagedSource(type: ExportType, paths: string[]): string {
  const columns = Object.entries(stagedColumns(type))
    .map(([name, sqlType]) => `${sqlString(name)}: ${sqlString(sqlType)}`)
    .join(", ");
  const list = `[${paths.map(sqlString).join(", ")}]`;
  return `read_csv(${list}, header = false, auto_detect = false, nullstr = '', quote = '"', escape = '"', columns = {${columns}})`;
}

export async function writeExports(
  days: StagedDay[],
  feed: string,
  format: ExportFormat,
  outDir: string,
  onFile?: (file: ExportedFile) => void,
): Promise<ExportedFile[]> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const written: ExportedFile[] = [];
  try {
    for (const day of days) {
      const dir = join(outDir, feed, day.date);
      await mkdir(dir, { recursive: true });
      for (const type of Object.keys(day.files) as ExportType[]) {
        const path = join(dir, `${type}.${format}`);
        const options = format === "parquet" ? "FORMAT parquet, COMPRESSION zstd" : "FORMAT csv, HEADER true";
        const source = stagedSource(type, [day.files[type]]);
        await connection.run(
          `COPY (SELECT ${selectList(type)} FROM ${source}) TO ${sqlString(path)} (${options})`,
        );
        const file = { date: day.date, type, path, rows: day.rows[type] };
        written.push(file);
        onFile?.(file);
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return written;
}
