/**
 * Writes entity records with field-level history. For each record: compare with the stored row
 * (string comparison of canonical text), upsert what differs, and append one `changes` row per
 * changed field (old, new, when, source); a new key gets one `_added` row. Everything for a
 * batch happens in one transaction, so an interrupted sync leaves whole batches or nothing, and
 * re-running it converges. A dry run reads and diffs but writes nothing.
 */
import type { Db, Queryable, Row, SqlValue } from "../../adapters/db/db.js";
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

/** One multi-row upsert for changes that write the same columns. */
async function upsertMany(tx: Queryable, spec: EntitySpec, changes: EntityChange[], columns: string[]) {
  const kinds = new Map(spec.fields.map((field) => [field.column, field.kind]));
  const params: SqlValue[] = [];
  const rows = changes.map((change) => {
    const at = (value: SqlValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    const key = at(change.key);
    const values = columns.map((column) =>
      writeCast(kinds.get(column) ?? "text", at(change.values[column] ?? null)),
    );
    const stamp = `${at(change.at)}::timestamptz`;
    return `(${[key, ...values, stamp, stamp].join(", ")})`;
  });
  const updates = [
    ...columns.map((column) => `${column} = EXCLUDED.${column}`),
    "updated_at = EXCLUDED.updated_at",
  ];
  await tx.query(
    `INSERT INTO ${spec.table} (${[spec.key, ...columns, "first_seen_at", "updated_at"].join(", ")})
     VALUES ${rows.join(", ")}
     ON CONFLICT (${spec.key}) DO UPDATE SET ${updates.join(", ")}`,
    params,
  );
}

/** One INSERT for every history row of the batch (an `_added` row per new entity). */
async function appendHistory(tx: Queryable, changes: EntityChange[]): Promise<void> {
  const rows = changes.flatMap((change) =>
    (change.kind === "added" ? [{ field: ADDED_FIELD, old: null, new: null }] : change.fields).map(
      (field) => ({
        change,
        field,
      }),
    ),
  );
  const column = (pick: (row: (typeof rows)[number]) => string | null) => rows.map(pick);
  await tx.query(
    `INSERT INTO changes (entity, key, field, old_value, new_value, changed_at, source)
     SELECT u.entity, u.key, u.field, u.old_value, u.new_value, u.changed_at::timestamptz, u.source
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       WITH ORDINALITY AS u(entity, key, field, old_value, new_value, changed_at, source, n)
     ORDER BY u.n`,
    [
      column((row) => row.change.entity),
      column((row) => row.change.key),
      column((row) => row.field.field),
      column((row) => row.field.old),
      column((row) => row.field.new),
      column((row) => row.change.at),
      column((row) => row.change.source),
    ],
  );
}

/** Groups changes by the columns they write (all of them, or a patch's own). */
function byColumns(
  spec: EntitySpec,
  changes: EntityChange[],
  records: Map<string, EntityRecord>,
  partial: boolean,
) {
  const all = spec.fields.map((field) => field.column);
  const groups = new Map<string, { columns: string[]; changes: EntityChange[] }>();
  for (const change of changes) {
    const values = records.get(change.key)?.values ?? {};
    const columns = partial ? all.filter((column) => column in values) : all;
    const signature = columns.join(",");
    const group = groups.get(signature) ?? { columns, changes: [] };
    group.changes.push(change);
    groups.set(signature, group);
  }
  return [...groups.values()];
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
      if (change) changes.push(change);
    }
    if (!write || changes.length === 0) return changes;
    for (const group of byColumns(spec, changes, latest, options.partial === true))
      await upsertMany(tx, spec, group.changes, group.columns);
    await appendHistory(tx, changes);
    return changes;
  };
  if (options.dryRun) return work(db, false);
  return db.transaction((tx) => work(tx, true));
}
