/**
 * Writes entity records with field-level history. For each record: compare with the stored row
 * (string comparison of canonical text), upsert what differs, and append one `changes` row per
 * changed field (old, new, when, source); a new key gets one `_added` row. Everything for a
 * batch happens in one transaction, so an interrupted sync leaves whole batches or nothing, and
 * re-running it converges. A dry run reads and diffs but writes nothing.
 */
import type { Db, Queryable, Row } from "../../adapters/db/db.js";
import { textOf } from "../../adapters/db/db.js";
import {
  type EntityName,
  type EntityRecord,
  type EntitySpec,
  type FieldValues,
  selectList,
  writeCast,
} from "./entity-specs.js";

export type ChangeKind = "added" | "updated";

export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

export interface EntityChange {
  entity: EntityName;
  key: string;
  kind: ChangeKind;
  fields: FieldChange[];
  source: string;
  /** ISO-8601 time of the change. */
  at: string;
  /** The whole record after the change. */
  values: FieldValues;
}

export interface ApplyOptions {
  /** Where the values came from: sync, lifecycle:<event_type>, clock. */
  source: string;
  atMs: number;
  dryRun?: boolean;
  /** Only the fields present in each record are compared and written (lifecycle patches). */
  partial?: boolean;
}

export const ADDED_FIELD = "_added";

export function rowValues(spec: EntitySpec, row: Row): FieldValues {
  const values: FieldValues = {};
  for (const field of spec.fields) values[field.column] = textOf(row, field.column);
  return values;
}

async function loadRows(db: Queryable, spec: EntitySpec, keys: string[], lock: boolean) {
  const rows = await db.query(
    `SELECT ${selectList(spec)} FROM ${spec.table} WHERE ${spec.key} = ANY($1::text[])${lock ? " FOR UPDATE" : ""}`,
    [keys],
  );
  return new Map(rows.map((row) => [String(row[spec.key]), rowValues(spec, row)]));
}

export function diffRecord(
  spec: EntitySpec,
  record: EntityRecord,
  stored: FieldValues | undefined,
  options: ApplyOptions,
): EntityChange | undefined {
  const at = new Date(options.atMs).toISOString();
  const columns = spec.fields
    .map((field) => field.column)
    .filter((column) => !options.partial || column in record.values);
  const after: FieldValues = { ...(stored ?? {}) };
  const fields: FieldChange[] = [];
  for (const column of columns) {
    const next = record.values[column] ?? null;
    const previous = stored?.[column] ?? null;
    after[column] = next;
    if (next !== previous) fields.push({ field: column, old: previous, new: next });
  }
  if (stored && fields.length === 0) return undefined;
  for (const field of spec.fields) after[field.column] ??= null;
  const kind: ChangeKind = stored ? "updated" : "added";
  return { entity: spec.entity, key: record.key, kind, fields, source: options.source, at, values: after };
}

async function upsert(tx: Queryable, spec: EntitySpec, change: EntityChange, columns: string[]) {
  const kinds = new Map(spec.fields.map((field) => [field.column, field.kind]));
  const params = [change.key, ...columns.map((column) => change.values[column] ?? null), change.at];
  const placeholders = columns.map((column, index) =>
    writeCast(kinds.get(column) ?? "text", `$${index + 2}`),
  );
  const stamp = `$${columns.length + 2}::timestamptz`;
  const updates = [
    ...columns.map((column) => `${column} = EXCLUDED.${column}`),
    "updated_at = EXCLUDED.updated_at",
  ];
  await tx.query(
    `INSERT INTO ${spec.table} (${[spec.key, ...columns, "first_seen_at", "updated_at"].join(", ")})
     VALUES ($1, ${[...placeholders, stamp, stamp].join(", ")})
     ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(", ")}`,
    params,
  );
}

async function appendHistory(tx: Queryable, change: EntityChange): Promise<void> {
  const fields = change.kind === "added" ? [{ field: ADDED_FIELD, old: null, new: null }] : change.fields;
  await tx.query(
    `INSERT INTO changes (entity, key, field, old_value, new_value, changed_at, source)
     SELECT $1, $2, u.field, u.old_value, u.new_value, $3::timestamptz, $4
     FROM unnest($5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS u(field, old_value, new_value, n)
     ORDER BY u.n`,
    [
      change.entity,
      change.key,
      change.at,
      change.source,
      fields.map((field) => field.field),
      fields.map((field) => field.old),
      fields.map((field) => field.new),
    ],
  );
}

/** Applies a batch; returns the changes (also in a dry run, where nothing is written). */
export async function applyRecords(
  db: Db,
  spec: EntitySpec,
  records: EntityRecord[],
  options: ApplyOptions,
): Promise<EntityChange[]> {
  const latest = new Map(records.map((record) => [record.key, record]));
  if (latest.size === 0) return [];
  const work = async (tx: Queryable, write: boolean) => {
    const stored = await loadRows(tx, spec, [...latest.keys()], write);
    const changes: EntityChange[] = [];
    for (const record of latest.values()) {
      const change = diffRecord(spec, record, stored.get(record.key), options);
      if (!change) continue;
      changes.push(change);
      if (!write) continue;
      const columns = options.partial
        ? spec.fields.map((field) => field.column).filter((column) => column in record.values)
        : spec.fields.map((field) => field.column);
      await upsert(tx, spec, change, columns);
      await appendHistory(tx, change);
    }
    return changes;
  };
  if (options.dryRun) return work(db, false);
  return db.transaction((tx) => work(tx, true));
}
