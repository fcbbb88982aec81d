/**
 * The SQL port: one small interface over PostgreSQL (pg-db.ts, via `pg`) and PGlite
 * (pglite-db.ts, in-process PostgreSQL in a directory). Rows come back as plain objects of
 * unknown values; callers cast in SQL (`::text`) and read them with the helpers below, so both
 * drivers yield the same JavaScript values.
 */
import { ParseError } from "../../core/errors.js";

export type SqlValue = string | number | boolean | null | (string | null)[];
export type Row = Record<string, unknown>;

export interface Queryable {
  query(sql: string, params?: SqlValue[]): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: "postgres" | "pglite";
  /** Where the database is, without credentials (for logs and errors). */
  readonly location: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function textOf(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  throw new ParseError(`column ${column}: expected text, got ${typeof value}`);
}

export function requiredText(row: Row, column: string): string {
  const value = textOf(row, column);
  if (value === null) throw new ParseError(`column ${column}: unexpected NULL`);
  return value;
}

export function intOf(row: Row, column: string): number {
  const value = Number(requiredText(row, column));
  if (!Number.isSafeInteger(value)) throw new ParseError(`column ${column}: not an integer`);
  return value;
}
