/**
 * Transitions Kalshi does not announce on the lifecycle channel: a market becomes active at its
 * open_time and stops trading at its close_time. Applied from the clock, with history (source
 * clock:open_time / clock:close_time), by the lifecycle watcher and after each sync.
 */
import { requiredText } from "../../adapters/db/db.js";
import { MARKETS } from "./entity-specs.js";
import type { EntityChange } from "./entity-writer.js";
import type { SecmasterStore } from "./secmaster-store.js";

async function tickersWhere(store: SecmasterStore, condition: string, nowIso: string): Promise<string[]> {
  const rows = await store.db.query(
    `SELECT ticker FROM markets WHERE ${condition} ORDER BY ticker LIMIT 5000`,
    [nowIso],
  );
  return rows.map((row) => requiredText(row, "ticker"));
}

export async function applyClockTransitions(store: SecmasterStore, nowMs: number): Promise<EntityChange[]> {
  const now = new Date(nowMs).toISOString();
  const opening = await tickersWhere(
    store,
    "status = 'initialized' AND open_time <= $1::timestamptz AND (close_time IS NULL OR close_time > $1::timestamptz)",
    now,
  );
  const closing = await tickersWhere(store, "status = 'active' AND close_time <= $1::timestamptz", now);
  const patch = (tickers: string[], status: string) => tickers.map((key) => ({ key, values: { status } }));
  return [
    ...(await store.apply(MARKETS, patch(opening, "active"), {
      source: "clock:open_time",
      atMs: nowMs,
      partial: true,
    })),
    ...(await store.apply(MARKETS, patch(closing, "closed"), {
      source: "clock:close_time",
      atMs: nowMs,
      partial: true,
    })),
  ];
}
