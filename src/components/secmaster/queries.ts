/**
 * Read side of the secmaster: listings with filters and keyset pagination, lookups that fail
 * with "Did you mean ...?", and counts. Rows come back as views: the key, every field as
 * canonical text, first_seen_at and updated_at.
 */
import { type Db, intOf, type Row, requiredText, type SqlValue, textOf } from "../../adapters/db/db.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { closestMatches, suggest } from "../../core/suggest.js";
import { type EntitySpec, EVENTS, MARKETS, SERIES, selectList } from "./entity-specs.js";

export type EntityView = Record<string, string | null>;

export interface Page {
  items: EntityView[];
  /** Pass back as `cursor` for the next page; undefined on the last page. */
  cursor: string | undefined;
}

export interface MarketFilter {
  status?: string[];
  category?: string;
  series?: string;
  event?: string;
  /** Unix ms: markets closing before this time. */
  closingBefore?: number;
  search?: string;
  limit?: number;
  cursor?: string;
}

/** Kalshi's query vocabulary (GET /markets?status=) mapped onto the stored response vocabulary. */
const FILTER_WORDS: Record<string, string[]> = {
  unopened: ["initialized"],
  open: ["active"],
  paused: ["inactive"],
  settled: ["finalized", "settled"],
};

export function expandStatuses(statuses: string[]): string[] {
  return [...new Set(statuses.flatMap((status) => FILTER_WORDS[status] ?? [status]))];
}

export const MAX_LIMIT = 1000;

function checkLimit(limit: number | undefined, fallback: number): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new ValidationError(`invalid limit '${limit}'`, [`limit must be an integer 1..${MAX_LIMIT}`]);
  }
  return value;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new ValidationError(`invalid cursor '${cursor}'`);
  return Buffer.from(cursor, "base64url").toString("utf8");
}

export function toView(spec: EntitySpec, row: Row): EntityView {
  const view: EntityView = { [spec.key]: requiredText(row, spec.key) };
  for (const field of spec.fields) view[field.column] = textOf(row, field.column);
  view.first_seen_at = textOf(row, "first_seen_at");
  view.updated_at = textOf(row, "updated_at");
  return view;
}

/** WHERE clauses with numbered parameters. */
class Where {
  readonly clauses: string[] = [];
  readonly params: SqlValue[] = [];
  add(sql: (placeholder: string) => string, value: SqlValue): void {
    this.params.push(value);
    this.clauses.push(sql(`$${this.params.length}`));
  }
  toString(): string {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.join(" AND ")}` : "";
  }
}

export async function pageOf(
  db: Db,
  spec: EntitySpec,
  where: Where,
  limit: number,
  cursor?: string,
): Promise<Page> {
  const after = decodeCursor(cursor);
  if (after !== undefined) where.add((p) => `${spec.key} > ${p}`, after);
  const rows = await db.query(
    `SELECT ${selectList(spec)} FROM ${spec.table} ${where} ORDER BY ${spec.key} LIMIT ${limit + 1}`,
    where.params,
  );
  const items = rows.slice(0, limit).map((row) => toView(spec, row));
  const last = items.at(-1);
  return { items, cursor: rows.length > limit && last ? encodeCursor(String(last[spec.key])) : undefined };
}

export async function listMarkets(db: Db, filter: MarketFilter): Promise<Page> {
  const where = new Where();
  if (filter.status && filter.status.length > 0)
    where.add((p) => `status = ANY(${p}::text[])`, expandStatuses(filter.status));
  if (filter.category) where.add((p) => `category = ${p}`, filter.category);
  if (filter.series) where.add((p) => `series_ticker = ${p}`, filter.series);
  if (filter.event) where.add((p) => `event_ticker = ${p}`, filter.event);
  if (filter.closingBefore !== undefined)
    where.add((p) => `close_time < ${p}::timestamptz`, new Date(filter.closingBefore).toISOString());
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.add((p) => `(ticker ILIKE ${p} OR title ILIKE ${p} OR yes_sub_title ILIKE ${p})`, pattern);
  }
  return pageOf(db, MARKETS, where, checkLimit(filter.limit, 100), filter.cursor);
}

export interface EventFilter {
  series?: string;
  category?: string;
  limit?: number;
  cursor?: string;
}

export async function listEvents(db: Db, filter: EventFilter): Promise<Page> {
  const where = new Where();
  if (filter.series) where.add((p) => `series_ticker = ${p}`, filter.series);
  if (filter.category) where.add((p) => `category = ${p}`, filter.category);
  return pageOf(db, EVENTS, where, checkLimit(filter.limit, 100), filter.cursor);
}

export async function listSeries(
  db: Db,
  filter: { category?: string; limit?: number; cursor?: string },
): Promise<Page> {
  const where = new Where();
  if (filter.category) where.add((p) => `category = ${p}`, filter.category);
  return pageOf(db, SERIES, where, checkLimit(filter.limit, MAX_LIMIT), filter.cursor);
}

export async function findOne(db: Db, spec: EntitySpec, key: string): Promise<EntityView | undefined> {
  const rows = await db.query(`SELECT ${selectList(spec)} FROM ${spec.table} WHERE ${spec.key} = $1`, [key]);
  return rows[0] ? toView(spec, rows[0]) : undefined;
}

/** NotFoundError for `key`, suggesting stored keys that share its leading segment. */
export async function notFound(db: Db, spec: EntitySpec, key: string): Promise<NotFoundError> {
  const head = key.split("-")[0] ?? key;
  const rows = await db.query(
    `SELECT ${spec.key} AS k FROM ${spec.table} WHERE ${spec.key} ILIKE $1 ORDER BY ${spec.key} LIMIT 5000`,
    [`${head.slice(0, Math.max(1, head.length - 2)).replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
  );
  const keys = rows.map((row) => requiredText(row, "k"));
  return new NotFoundError(spec.entity, key, closestMatches(key, keys, 5), suggest(key, keys));
}

export async function requireOne(db: Db, spec: EntitySpec, key: string): Promise<EntityView> {
  const found = await findOne(db, spec, key);
  if (found) return found;
  throw await notFound(db, spec, key);
}

export interface Stats {
  series: number;
  events: number;
  markets: number;
  changes: number;
  lifecycleEvents: number;
  marketsByStatus: Record<string, number>;
  marketsByCategory: Record<string, number>;
}

async function countOf(db: Db, table: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::text AS n FROM ${table}`);
  return row ? intOf(row, "n") : 0;
}

async function grouped(db: Db, column: string): Promise<Record<string, number>> {
  const rows = await db.query(
    `SELECT COALESCE(${column}, '(none)') AS k, count(*)::text AS n FROM markets GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [requiredText(row, "k"), intOf(row, "n")]));
}

export async function stats(db: Db): Promise<Stats> {
  return {
    series: await countOf(db, "series"),
    events: await countOf(db, "events"),
    markets: await countOf(db, "markets"),
    changes: await countOf(db, "changes"),
    lifecycleEvents: await countOf(db, "lifecycle_events"),
    marketsByStatus: await grouped(db, "status"),
    marketsByCategory: await grouped(db, "category"),
  };
}
