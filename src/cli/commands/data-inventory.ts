/** `ssmd data inventory | gaps | quality`: how complete and how good the archive is. */
import type { Command } from "commander";
import { dayQuality } from "../../components/data-api/day-quality.js";
import { parseDate, parseOptionalDate } from "../../components/data-api/params.js";
import { ValidationError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { createProgress, printJson, printLine, printTable } from "../output.js";
import {
  DEFAULT_FEED,
  feedOption,
  formatBytes,
  formatScore,
  formatUs,
  openCatalog,
  type PathOptions,
  withPathOption,
} from "./data-common.js";

interface InventoryOptions extends PathOptions {
  feed?: string;
  from?: string;
  to?: string;
  status?: string;
}

interface DayOptions extends PathOptions {
  feed?: string;
  date?: string;
}

const STATUSES = ["open", "complete", "partial", "unknown"];

export function registerInventory(data: Command, ctx: CliContext): void {
  withPathOption(
    data.command("inventory").description("archived days with size, exports, status, quality and gaps"),
  )
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .option("--from <date>", "first day")
    .option("--to <date>", "last day")
    .option("--status <status>", "only days with this status: open | complete | partial")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd data inventory --feed kalshi --from 2026-11-01 --status partial\n",
    )
    .action((options: InventoryOptions) => inventory(ctx, options));

  withPathOption(data.command("gaps").description("gaps recorded for a day (connector and archiver)"))
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .requiredOption("--date <date>", "day (YYYY-MM-DD)")
    .addHelpText("after", "\nExample:\n  ssmd data gaps --feed kalshi --date 2026-11-21\n")
    .action((options: DayOptions) => gaps(ctx, options));

  withPathOption(
    data
      .command("quality")
      .description(
        "measure a day: duplicates, out-of-order, parse errors, sequence gaps, crossed books, coverage",
      ),
  )
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .requiredOption("--date <date>", "day (YYYY-MM-DD)")
    .addHelpText("after", "\nExample:\n  ssmd data quality --feed kalshi --date 2026-11-21 --json\n")
    .action((options: DayOptions) => quality(ctx, options));
}

async function inventory(ctx: CliContext, options: InventoryOptions): Promise<void> {
  const feed = feedOption(options.feed);
  if (options.status !== undefined && !STATUSES.includes(options.status)) {
    throw new ValidationError(`invalid --status '${options.status}'`, [`one of: ${STATUSES.join(", ")}`]);
  }
  const catalog = await openCatalog(ctx, options);
  await catalog.requireFeed(feed);
  const rows = (
    await catalog.datasets({
      feed,
      from: parseOptionalDate(options.from, "--from"),
      to: parseOptionalDate(options.to, "--to"),
    })
  ).filter((row) => options.status === undefined || row.status === options.status);
  if (options.json) return printJson(ctx, rows);
  if (rows.length === 0) return printLine(ctx, "no archived days match");
  printTable(
    ctx,
    ["Date", "Raw", "Normalized", "Status", "Quality", "Gaps"],
    rows.map((r) => [
      r.date,
      `${r.records ?? "?"} msgs, ${r.files} files, ${formatBytes(r.bytes)}`,
      r.normalized.length > 0 ? r.normalized.join(",") : "-",
      r.status,
      formatScore(r.quality),
      r.gaps,
    ]),
  );
}

async function gaps(ctx: CliContext, options: DayOptions): Promise<void> {
  const feed = feedOption(options.feed);
  const date = parseDate(options.date, "--date");
  const catalog = await openCatalog(ctx, options);
  await catalog.requireDay(feed, date);
  const manifest = await catalog.manifest(feed, date);
  const list = manifest?.gaps ?? [];
  if (options.json) return printJson(ctx, { feed, date, manifest: manifest !== undefined, gaps: list });
  if (!manifest)
    return printLine(ctx, `no manifest for ${feed} ${date}: run 'ssmd data quality' to scan the files`);
  if (list.length === 0) return printLine(ctx, `no gaps recorded for ${feed} on ${date}`);
  printTable(
    ctx,
    ["Started", "Ended", "Type", "Reason", "Source", "Sid", "Seqs", "Tickers"],
    list.map((g) => [
      g.started_at,
      g.ended_at,
      g.type,
      g.reason,
      g.source,
      g.sid,
      g.from_seq === null ? "-" : `${g.from_seq}..${g.to_seq ?? "?"}`,
      g.tickers.length === 0 ? "all" : g.tickers.join(","),
    ]),
  );
}

async function quality(ctx: CliContext, options: DayOptions): Promise<void> {
  const feed = feedOption(options.feed);
  const date = parseDate(options.date, "--date");
  const catalog = await openCatalog(ctx, options);
  await catalog.requireDay(feed, date);
  const manifest = await catalog.manifest(feed, date);
  const progress = createProgress(ctx, "checking");
  const report = await dayQuality(catalog.store, feed, date, manifest, (done, total) =>
    progress.update(done, total),
  );
  progress.finish();
  if (options.json) return printJson(ctx, report);
  printTable(
    ctx,
    ["Check", "Value"],
    [
      ["records", report.records],
      ["duplicates", report.duplicates],
      ["duplicate stream seqs", report.duplicate_stream_seqs],
      ["out of order", report.out_of_order],
      ["parse errors", report.parse_errors],
      ["sequence gaps", `${report.sequence_gaps} (${report.missing_messages} messages missing)`],
      ["gap records", report.gap_records],
      ["crossed books", report.crossed_books],
      ["deltas before snapshot", report.deltas_without_snapshot],
      ["corrupt files", report.corrupt_files.length > 0 ? report.corrupt_files.join(", ") : 0],
      ["coverage", `${(report.coverage * 100).toFixed(1)}%`],
      ["first / last", `${formatUs(report.first_rt)} / ${formatUs(report.last_rt)}`],
      ["score", formatScore(report.score)],
    ],
  );
}
