/** How the secmaster commands print: tables on a terminal, the same data as JSON with --json. */
import type { EntityView } from "../../components/secmaster/queries.js";
import type { SyncSummary } from "../../components/secmaster/sync-summary.js";
import type { CliContext } from "../context.js";
import { paint, printLine, printTable } from "./../output.js";

const short = (time: string | null | undefined) => (time ? time.slice(0, 16).replace("T", " ") : "-");

export function printMarkets(ctx: CliContext, markets: EntityView[]): void {
  printTable(
    ctx,
    ["TICKER", "STATUS", "CATEGORY", "CLOSES (UTC)", "YES BID", "YES ASK", "LAST", "TITLE"],
    markets.map((m) => [
      m.ticker,
      m.status,
      m.category,
      short(m.close_time),
      m.yes_bid,
      m.yes_ask,
      m.last_price,
      (m.title ?? "").slice(0, 60),
    ]),
  );
}

export function printEvents(ctx: CliContext, events: EntityView[]): void {
  printTable(
    ctx,
    ["EVENT", "SERIES", "CATEGORY", "STRIKE DATE", "TITLE"],
    events.map((e) => [
      e.event_ticker,
      e.series_ticker,
      e.category,
      short(e.strike_date),
      (e.title ?? "").slice(0, 60),
    ]),
  );
}

export function printSeries(ctx: CliContext, series: EntityView[]): void {
  printTable(
    ctx,
    ["SERIES", "CATEGORY", "FREQUENCY", "TITLE"],
    series.map((s) => [s.ticker, s.category, s.frequency, (s.title ?? "").slice(0, 60)]),
  );
}

export function printRecord(ctx: CliContext, view: EntityView): void {
  const width = Math.max(...Object.keys(view).map((key) => key.length));
  for (const [key, value] of Object.entries(view)) {
    printLine(ctx, `${paint(ctx, "bold", key.padEnd(width))}  ${value ?? "-"}`);
  }
}

export function printSummary(ctx: CliContext, summary: SyncSummary): void {
  const m = summary.markets;
  const mode = summary.dryRun ? " (dry run: nothing written)" : "";
  const fell = summary.fellBackToFull ? " (no earlier complete sync: ran a full sync)" : "";
  printLine(ctx, paint(ctx, "bold", `${summary.kind} sync of ${summary.scope}${mode}${fell}`));
  printTable(
    ctx,
    ["", "SEEN", "ADDED", "CHANGED", "CLOSED", "SETTLED"],
    [
      ["series", summary.series.seen, summary.series.added, summary.series.changed, "", ""],
      ["events", summary.events.seen, summary.events.added, summary.events.changed, "", ""],
      ["markets", m.seen, m.added, m.changed, m.closed, m.settled],
    ],
  );
  if (summary.invalid > 0) printLine(ctx, paint(ctx, "yellow", `${summary.invalid} malformed items skipped`));
  printLine(ctx, `took ${(summary.durationMs / 1000).toFixed(1)} s`);
}
