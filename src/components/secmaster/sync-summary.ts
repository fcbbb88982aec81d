/** What a sync did, counted from the changes it made. */
import type { EntityChange } from "./entity-writer.js";

export interface EntityCounts {
  seen: number;
  added: number;
  changed: number;
}

export interface MarketCounts extends EntityCounts {
  closed: number;
  settled: number;
}

export interface SyncSummary {
  kind: "full" | "incremental";
  scope: string;
  dryRun: boolean;
  /** Incremental was asked for but no completed sync exists yet. */
  fellBackToFull: boolean;
  series: EntityCounts;
  events: EntityCounts;
  markets: MarketCounts;
  invalid: number;
  startedAt: string;
  durationMs: number;
}

const CLOSED = new Set(["closed", "determined", "inactive", "disputed"]);
const SETTLED = new Set(["finalized", "settled", "amended"]);

export function emptySummary(
  kind: SyncSummary["kind"],
  scope: string,
  dryRun: boolean,
  atMs: number,
): SyncSummary {
  const counts = () => ({ seen: 0, added: 0, changed: 0 });
  return {
    kind,
    scope,
    dryRun,
    fellBackToFull: false,
    series: counts(),
    events: counts(),
    markets: { ...counts(), closed: 0, settled: 0 },
    invalid: 0,
    startedAt: new Date(atMs).toISOString(),
    durationMs: 0,
  };
}

export function countChanges(
  counts: EntityCounts | MarketCounts,
  seen: number,
  changes: EntityChange[],
): void {
  counts.seen += seen;
  for (const change of changes) {
    if (change.kind === "added") counts.added++;
    else counts.changed++;
    if (!("closed" in counts) || change.kind === "added") continue;
    const status = change.fields.find((field) => field.field === "status")?.new;
    if (status && CLOSED.has(status)) counts.closed++;
    if (status && SETTLED.has(status)) counts.settled++;
  }
}
