/**
 * Field-level history and as-of reconstruction. The current row is the newest state; undoing
 * every change made after T (newest first: field ← old value) gives the row as it was at T. A
 * row whose `_added` change is after T did not exist then.
 */
import { type Db, intOf, type Row, requiredText, textOf } from "../../adapters/db/db.js";
import { NotFoundError } from "../../core/errors.js";
import type { EntityName, EntitySpec } from "./entity-specs.js";
import { selectList } from "./entity-specs.js";
import { ADDED_FIELD } from "./entity-writer.js";
import { type EntityView, notFound, toView } from "./queries.js";

export interface HistoryEntry {
  id: number;
  field: string;
  old: string | null;
  new: string | null;
  changedAt: string;
  source: string;
}

const AT = `to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS changed_at`;

function entryOf(row: Row): HistoryEntry {
  return {
    id: intOf(row, "id"),
    field: requiredText(row, "field"),
    old: textOf(row, "old_value"),
    new: textOf(row, "new_value"),
    changedAt: requiredText(row, "changed_at"),
    source: requiredText(row, "source"),
  };
}

export async function historyOf(
  db: Db,
  entity: EntityName,
  key: string,
  afterMs?: number,
): Promise<HistoryEntry[]> {
  const after = afterMs === undefined ? "" : "AND changed_at > $3::timestamptz";
  const params = afterMs === undefined ? [entity, key] : [entity, key, new Date(afterMs).toISOString()];
  const rows = await db.query(
    `SELECT id::text AS id, field, old_value, new_value, ${AT}, source FROM changes
     WHERE entity = $1 AND key = $2 ${after} ORDER BY changed_at, id`,
    params,
  );
  return rows.map(entryOf);
}

/** Undoes `later` (oldest first as stored) on a copy of `view`; undefined if added after. */
export function undo(view: EntityView, later: HistoryEntry[]): EntityView | undefined {
  const past = { ...view };
  for (let i = later.length - 1; i >= 0; i--) {
    const change = later[i]!;
    if (change.field === ADDED_FIELD) return undefined;
    past[change.field] = change.old;
  }
  return past;
}

/** The entity as it was at `atMs`; NotFoundError if it is unknown or did not exist yet. */
export async function entityAsOf(db: Db, spec: EntitySpec, key: string, atMs: number): Promise<EntityView> {
  const rows = await db.query(`SELECT ${selectList(spec)} FROM ${spec.table} WHERE ${spec.key} = $1`, [key]);
  if (!rows[0]) throw await notFound(db, spec, key);
  const past = undo(toView(spec, rows[0]), await historyOf(db, spec.entity, key, atMs));
  const at = new Date(atMs).toISOString();
  if (!past) throw new NotFoundError(`${spec.entity} as of ${at}`, key);
  return { ...past, as_of: at };
}

/** Every entity as it was at `atMs` (for daily snapshots), in key order. */
export async function allAsOf(db: Db, spec: EntitySpec, atMs: number): Promise<EntityView[]> {
  const at = new Date(atMs).toISOString();
  const rows = await db.query(
    `SELECT ${selectList(spec)} FROM ${spec.table} WHERE first_seen_at <= $1::timestamptz ORDER BY ${spec.key}`,
    [at],
  );
  const changeRows = await db.query(
    `SELECT id::text AS id, key, field, old_value, new_value, ${AT}, source FROM changes
     WHERE entity = $1 AND changed_at > $2::timestamptz ORDER BY changed_at, id`,
    [spec.entity, at],
  );
  const later = new Map<string, HistoryEntry[]>();
  for (const row of changeRows) {
    const key = requiredText(row, "key");
    const list = later.get(key) ?? [];
    list.push(entryOf(row));
    later.set(key, list);
  }
  const views: EntityView[] = [];
  for (const row of rows) {
    const view = toView(spec, row);
    const past = undo(view, later.get(String(view[spec.key])) ?? []);
    if (past) views.push(past);
  }
  return views;
}
