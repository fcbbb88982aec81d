/**
 * The daily point-in-time snapshot: every market as it was at the end of day D (or now, if D is
 * today), one JSON object per line, gzip, written through the ObjectStore port to
 * `{feed}/{YYYY-MM-DD}/markets.jsonl.gz` next to that day's archive. Markets already settled
 * and closed before D began are left out (they could not trade that day). Values are canonical
 * text: prices "0.4500", sizes "136.00", times ISO-8601 UTC.
 */
import { gzipSync } from "node:zlib";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { ValidationError } from "../../core/errors.js";
import { MARKETS } from "./entity-specs.js";
import { allAsOf } from "./history.js";
import type { EntityView } from "./queries.js";
import type { SecmasterStore } from "./secmaster-store.js";

export interface SnapshotRequest {
  feed: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  nowMs: number;
}

export interface SnapshotResult {
  key: string;
  asOf: string;
  markets: number;
  bytes: number;
}

const DAY_MS = 86_400_000;
const DONE = new Set(["finalized", "settled"]);

export function snapshotKey(feed: string, date: string): string {
  return `${feed}/${date}/markets.jsonl.gz`;
}

function dayStart(date: string): number {
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms))
    throw new ValidationError(`invalid snapshot date '${date}'`, ["expected YYYY-MM-DD"]);
  return ms;
}

function relevant(view: EntityView, startMs: number): boolean {
  const close = view.close_time ? Date.parse(view.close_time) : Number.POSITIVE_INFINITY;
  return !(DONE.has(view.status ?? "") && close < startMs);
}

export async function writeMarketSnapshot(
  store: SecmasterStore,
  objects: ObjectStore,
  request: SnapshotRequest,
): Promise<SnapshotResult> {
  const startMs = dayStart(request.date);
  if (startMs > request.nowMs) throw new ValidationError(`snapshot date ${request.date} is in the future`);
  const atMs = Math.min(request.nowMs, startMs + DAY_MS - 1);
  const asOf = new Date(atMs).toISOString();
  const markets = (await allAsOf(store.db, MARKETS, atMs)).filter((view) => relevant(view, startMs));
  const lines = markets.map((view) => JSON.stringify({ as_of: asOf, ...view })).join("\n");
  const body = gzipSync(Buffer.from(markets.length > 0 ? `${lines}\n` : "", "utf8"));
  const key = snapshotKey(request.feed, request.date);
  await objects.putBytes(key, body, { contentType: "application/gzip" });
  return { key, asOf, markets: markets.length, bytes: body.length };
}
