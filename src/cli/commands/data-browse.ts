/** `ssmd data list | sample | tickers | schema | builders`: what is in the archive. */
import type { Command } from "commander";
import { builders } from "../../components/data-api/builders.js";
import { daySample, dayTickers } from "../../components/data-api/day-scan.js";
import { messageSchema } from "../../components/data-api/message-schemas.js";
import {
  parseDate,
  parseFeedName,
  parseLimit,
  parseOptionalDate,
  parseTickers,
  parseTimeOfDay,
  parseTypeFilter,
} from "../../components/data-api/params.js";
import type { CliContext } from "../context.js";
import { createProgress, printJson, printLine, printTable } from "../output.js";
import {
  formatBytes,
  formatScore,
  formatUs,
  openCatalog,
  type PathOptions,
  withPathOption,
} from "./data-common.js";

interface ListOptions extends PathOptions {
  feed?: string;
  from?: string;
  to?: string;
}

interface SampleOptions extends PathOptions {
  ticker?: string;
  type?: string;
  limit?: string;
  from?: string;
  to?: string;
}

export function registerBrowse(data: Command, ctx: CliContext): void {
  withPathOption(data.command("list").description("archived days per feed"))
    .option("--feed <feed>", "only this feed")
    .option("--from <date>", "first day (YYYY-MM-DD)")
    .option("--to <date>", "last day (YYYY-MM-DD)")
    .addHelpText("after", "\nExample:\n  ssmd data list --feed kalshi --from 2026-11-01 --path ./data\n")
    .action((options: ListOptions) => list(ctx, options));

  withPathOption(data.command("sample <feed> <date>").description("first records of a day"))
    .option("--ticker <tickers>", "Kalshi ticker(s), comma-separated")
    .option("--type <type>", "trade | ticker | orderbook | lifecycle, or a message type like orderbook_delta")
    .option("--limit <n>", "how many (max 1000)", "10")
    .option("--from <time>", "start time (HH:MM, ISO, Unix)")
    .option("--to <time>", "end time (exclusive)")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd data sample kalshi 2026-11-21 --type trade --ticker KXBTCD-26NOV21-T67749.99 --limit 5\n",
    )
    .action((feed: string, date: string, options: SampleOptions) => sample(ctx, feed, date, options));

  withPathOption(
    data.command("tickers <feed> <date>").description("tickers of a day with counts per channel"),
  )
    .addHelpText("after", "\nExample:\n  ssmd data tickers kalshi 2026-11-21 --json\n")
    .action((feed: string, date: string, options: PathOptions) => tickers(ctx, feed, date, options));

  withPathOption(
    data.command("schema <feed> <type>").description("fields of a message type and its export columns"),
  )
    .addHelpText("after", "\nExample:\n  ssmd data schema kalshi trade\n")
    .action((feed: string, type: string, options: PathOptions) => schema(ctx, feed, type, options));

  data
    .command("builders")
    .description("derived datasets ssmd can build and the commands that build them")
    .option("--json", "print JSON")
    .addHelpText("after", "\nExample:\n  ssmd data builders --json\n")
    .action((options: { json?: boolean }) => {
      const list = builders();
      if (options.json) return printJson(ctx, list);
      printTable(
        ctx,
        ["Name", "Output", "Command"],
        list.map((b) => [b.name, b.output, b.command]),
      );
    });
}

async function list(ctx: CliContext, options: ListOptions): Promise<void> {
  const catalog = await openCatalog(ctx, options);
  const feed = options.feed === undefined ? undefined : parseFeedName(options.feed, "--feed");
  const rows = await catalog.datasets({
    feed,
    from: parseOptionalDate(options.from, "--from"),
    to: parseOptionalDate(options.to, "--to"),
  });
  if (options.json) return printJson(ctx, rows);
  if (rows.length === 0) return printLine(ctx, "no archived days match");
  printTable(
    ctx,
    ["Feed", "Date", "Files", "Records", "Size", "Status", "Quality"],
    rows.map((r) => [
      r.feed,
      r.date,
      r.files,
      r.records,
      formatBytes(r.bytes),
      r.status,
      formatScore(r.quality),
    ]),
  );
}

async function sample(ctx: CliContext, feedText: string, dateText: string, options: SampleOptions) {
  const feed = parseFeedName(feedText);
  const date = parseDate(dateText);
  const query = {
    ...parseTypeFilter(options.type),
    tickers: parseTickers(options.ticker),
    fromUs: parseTimeOfDay(options.from, date, "--from"),
    toUs: parseTimeOfDay(options.to, date, "--to"),
    limit: parseLimit(options.limit),
  };
  const catalog = await openCatalog(ctx, options);
  await catalog.requireDay(feed, date);
  const records = await daySample(catalog.store, feed, date, query);
  if (options.json) return printJson(ctx, records);
  if (records.length === 0) return printLine(ctx, "no records match");
  for (const r of records) printLine(ctx, `${formatUs(r.rt)}  ${r.subject}  ${JSON.stringify(r.msg)}`);
}

async function tickers(ctx: CliContext, feedText: string, dateText: string, options: PathOptions) {
  const feed = parseFeedName(feedText);
  const date = parseDate(dateText);
  const catalog = await openCatalog(ctx, options);
  await catalog.requireDay(feed, date);
  const progress = createProgress(ctx, "scanning");
  const list = await dayTickers(catalog.store, feed, date, (done, total) => progress.update(done, total));
  progress.finish(`${list.length} tickers`);
  if (options.json) return printJson(ctx, list);
  printTable(
    ctx,
    ["Ticker", "Records", "Trade", "Ticker msgs", "Orderbook", "Lifecycle", "First", "Last"],
    list.map((t) => [
      t.ticker,
      t.records,
      t.channels.trade ?? 0,
      t.channels.ticker ?? 0,
      t.channels.orderbook ?? 0,
      t.channels.lifecycle ?? 0,
      formatUs(t.first_rt),
      formatUs(t.last_rt),
    ]),
  );
}

async function schema(ctx: CliContext, feedText: string, type: string, options: PathOptions) {
  const catalog = await openCatalog(ctx, options);
  const feed = await catalog.requireFeed(parseFeedName(feedText));
  const doc = { feed, ...messageSchema(type) };
  if (options.json) return printJson(ctx, doc);
  printLine(ctx, `${doc.type} (channel ${doc.channel}): ${doc.description}`);
  printLine(ctx, `subject: ${doc.subject}`);
  printLine(ctx);
  printTable(
    ctx,
    ["Field", "Type", "Meaning"],
    doc.fields.map((f) => [f.name, f.type, f.description]),
  );
  if (doc.columns.length > 0) {
    printLine(ctx);
    printLine(ctx, `export columns (ssmd data export --type ${doc.export_type}):`);
    printTable(
      ctx,
      ["Column", "Type", "Meaning"],
      doc.columns.map((c) => [c.name, c.type, c.description]),
    );
  }
}
