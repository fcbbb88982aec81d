/**
 * Bookkeeping of sync runs: when each started and finished, its scope and summary. An
 * incremental sync asks only for what changed since the start of the last completed run; a
 * run found still "running" when the next one starts was interrupted and is marked so.
 */
import { type Db, intOf, requiredText } from "../../adapters/db/db.js";

export type RunStatus = "running" | "complete" | "failed" | "interrupted";

export async function startRun(db: Db, kind: string, scope: string, atMs: number): Promise<number> {
  await db.query("UPDATE sync_runs SET status = 'interrupted' WHERE status = 'running'");
  const [row] = await db.query(
    `INSERT INTO sync_runs (kind, scope, started_at, status) VALUES ($1, $2, $3::timestamptz, 'running')
     RETURNING id::text AS id`,
    [kind, scope, new Date(atMs).toISOString()],
  );
  return row ? intOf(row, "id") : 0;
}

export async function finishRun(db: Db, id: number, status: RunStatus, summary: unknown, atMs: number) {
  await db.query(
    "UPDATE sync_runs SET status = $2, summary = $3, finished_at = $4::timestamptz WHERE id = $1",
    [id, status, JSON.stringify(summary), new Date(atMs).toISOString()],
  );
}

/** Start of the last completed run covering `scope` (or everything), Unix ms. */
export async function lastCompletedStart(db: Db, scope: string): Promise<number | undefined> {
  const [row] = await db.query(
    `SELECT to_char(max(started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
     FROM sync_runs WHERE status = 'complete' AND (scope = $1 OR scope = 'all')`,
    [scope],
  );
  const at = row?.at;
  return typeof at === "string" ? Date.parse(at) : undefined;
}

export interface RunRow {
  id: number;
  kind: string;
  scope: string;
  status: string;
  startedAt: string;
}

export async function recentRuns(db: Db, limit = 5): Promise<RunRow[]> {
  const rows = await db.query(
    `SELECT id::text AS id, kind, scope, status,
       to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at
     FROM sync_runs ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map((row) => ({
    id: intOf(row, "id"),
    kind: requiredText(row, "kind"),
    scope: requiredText(row, "scope"),
    status: requiredText(row, "status"),
    startedAt: requiredText(row, "started_at"),
  }));
}
