/** `ssmd data export` and `ssmd data query`: normalized, typed tables through DuckDB. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parseDate, parseOptionalDate } from "../../components/data-api/params.js";
import { type ExportFormat, writeExports } from "../../components/export/duckdb-export.js";
import { EXPORT_TYPES, type ExportType } from "../../components/export/export-columns.js";
import { runQuery } from "../../components/export/sql-query.js";
import { type StageResult, stageDays } from "../../components/export/staging.js";
import { ValidationError } from "../../core/errors.js";
import type { CliContext } from "../context.js";
import { createProgress, printJson, printLine, printTable } from "../output.js";
import { DEFAULT_FEED, feedOption, openCatalog, type PathOptions, withPathOption } from "./data-common.js";

interface RangeOptions extends PathOptions {
  feed?: string;
  date?: string;
  to?: string;
}

interface ExportOptions extends RangeOptions {
  format: string;
  type: string;
  out: string;
}

export function registerExport(data: Command, ctx: CliContext): void {
  withPathOption(
    data.command("export").description("write normalized Parquet/CSV files, one per type per day"),
  )
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .requiredOption("--date <date>", "first day (YYYY-MM-DD)")
    .option("--to <date>", "last day (default: --date)")
    .option("--format <format>", "parquet | csv", "parquet")
    .option("--type <types>", "trade,ticker,orderbook,lifecycle (comma-separated) or all", "all")
    .option("--out <dir>", "output root: files go to {out}/{feed}/{date}/{type}.{format}", "./export")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd data export --date 2026-11-21 --type trade --format parquet --out ./export\n",
    )
    .action((options: ExportOptions) => exportDays(ctx, options));

  withPathOption(
    data
      .command("query <sql>")
      .description("SQL over archived days (views trades, tickers, orderbook, lifecycle)"),
  )
    .option("--feed <feed>", "feed", DEFAULT_FEED)
    .option("--date <date>", "first day (default: the latest day)")
    .option("--to <date>", "last day (default: --date)")
    .addHelpText(
      "after",
      '\nExample:\n  ssmd data query "SELECT ticker, count(*) n, sum(size) volume FROM trades GROUP BY ticker ORDER BY n DESC" --date 2026-11-21\n',
    )
    .action((sql: string, options: RangeOptions) => query(ctx, sql, options));
}

function parseTypes(text: string): ExportType[] {
  if (text === "all") return [...EXPORT_TYPES];
  const types = text.split(",");
  for (const type of types) {
    if (!(EXPORT_TYPES as readonly string[]).includes(type)) {
      throw new ValidationError(`invalid --type '${type}'`, [`one of: ${EXPORT_TYPES.join(", ")}, all`]);
    }
  }
  return types as ExportType[];
}

/** Validated days: the feed exists and the range holds data (else: the latest date). */
async function daysOf(ctx: CliContext, options: RangeOptions) {
  const feed = feedOption(options.feed);
  const catalog = await openCatalog(ctx, options);
  let from = parseOptionalDate(options.date, "--date");
  if (from === undefined) {
    await catalog.requireFeed(feed);
    from = (await catalog.dates(feed)).at(-1);
    if (from === undefined) throw new ValidationError(`feed '${feed}' has no archived days yet`);
  }
  const to = options.to === undefined ? from : parseDate(options.to, "--to");
  if (to < from) throw new ValidationError(`--to ${to} is before --date ${from}`);
  return { feed, catalog, dates: await catalog.requireDays(feed, from, to) };
}

async function stageWithProgress(
  ctx: CliContext,
  options: RangeOptions,
  types: readonly ExportType[],
  dir: string,
) {
  const { feed, catalog, dates } = await daysOf(ctx, options);
  const progress = createProgress(ctx, "reading");
  const staged = await stageDays({
    store: catalog.store,
    feed,
    dates,
    types,
    dir,
    progress: (done, total, date) => progress.update(done, total, date),
  });
  progress.finish(`${staged.records} records`);
  return { feed, staged };
}

function warnParseErrors(ctx: CliContext, staged: StageResult): void {
  if (staged.parseErrors === 0) return;
  ctx.stderr.write(
    `warning: ${staged.parseErrors} frame(s) did not parse and were skipped (first: ${staged.firstError})\n`,
  );
}

async function exportDays(ctx: CliContext, options: ExportOptions): Promise<void> {
  if (options.format !== "parquet" && options.format !== "csv") {
    throw new ValidationError(`invalid --format '${options.format}'`, ["parquet | csv"]);
  }
  const types = parseTypes(options.type);
  const dir = await mkdtemp(join(tmpdir(), "ssmd-export-"));
  try {
    const { feed, staged } = await stageWithProgress(ctx, options, types, dir);
    warnParseErrors(ctx, staged);
    const progress = createProgress(ctx, "writing");
    const total = staged.days.length * types.length;
    let done = 0;
    const files = await writeExports(
      staged.days,
      feed,
      options.format as ExportFormat,
      resolve(ctx.cwd, options.out),
      () => progress.update(++done, total),
    );
    progress.finish(`${files.length} files`);
    if (options.json)
      return printJson(ctx, { files, records: staged.records, parse_errors: staged.parseErrors });
    printTable(
      ctx,
      ["Date", "Type", "Rows", "File"],
      files.map((f) => [f.date, f.type, f.rows, f.path]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function query(ctx: CliContext, sql: string, options: RangeOptions): Promise<void> {
  if (sql.trim() === "") throw new ValidationError("the query is empty");
  const dir = await mkdtemp(join(tmpdir(), "ssmd-query-"));
  try {
    const { staged } = await stageWithProgress(ctx, options, EXPORT_TYPES, dir);
    warnParseErrors(ctx, staged);
    const result = await runQuery(staged.days, sql);
    if (options.json) return printJson(ctx, result.rows);
    if (result.rows.length === 0) return printLine(ctx, "(no rows)");
    printTable(
      ctx,
      result.columns,
      result.rows.map((row) => result.columns.map((c) => cell(row[c]))),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function cell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number") return value;
  return JSON.stringify(value);
}
