/**
 * The actions behind `ssmd secmaster ...` (and the `ssmd market ...` aliases). Each opens the
 * environment's database, does one thing, prints a table or --json, and closes everything.
 */
import type { Logger } from "../../adapters/log.js";
import { parseTime } from "../../components/secmaster/http-routes.js";
import { recentRuns } from "../../components/secmaster/sync-runs.js";
import type { CliContext } from "../context.js";
import { positiveInt } from "../flags.js";
import { printJson } from "../output.js";
import { cliLogger, type EnvOptions, type OpenedStore, openSecmaster, resolveEnv } from "./secmaster-env.js";
import { printEvents, printMarkets, printRecord, printSeries } from "./secmaster-output.js";

export interface CommonOptions extends EnvOptions {
  json?: boolean;
}

export async function withStore<T>(
  ctx: CliContext,
  envName: string,
  options: CommonOptions,
  writer: boolean,
  work: (opened: OpenedStore, logger: Logger) => Promise<T>,
): Promise<T> {
  const logger = cliLogger(ctx, "secmaster");
  const env = await resolveEnv(ctx, envName, options);
  const opened = await openSecmaster(ctx, env, options, writer, logger);
  try {
    return await work(opened, logger);
  } finally {
    await opened.close();
  }
}

export interface ListCliOptions extends CommonOptions {
  status?: string;
  category?: string;
  series?: string;
  event?: string;
  closingBefore?: string;
  search?: string;
  limit?: string;
  cursor?: string;
}

export function listAction(ctx: CliContext, envName: string, options: ListCliOptions): Promise<void> {
  return withStore(ctx, envName, options, false, async ({ store }) => {
    const page = await store.listMarkets({
      status: options.status?.split(",").filter(Boolean),
      category: options.category,
      series: options.series,
      event: options.event,
      closingBefore:
        options.closingBefore === undefined
          ? undefined
          : parseTime(options.closingBefore, "--closing-before"),
      search: options.search,
      limit: positiveInt(options.limit, "--limit"),
      cursor: options.cursor,
    });
    if (options.json) return printJson(ctx, { markets: page.items, cursor: page.cursor ?? null });
    printMarkets(ctx, page.items);
    if (page.cursor) ctx.stderr.write(`more: --cursor ${page.cursor}\n`);
  });
}

export interface ShowCliOptions extends CommonOptions {
  asOf?: string;
  history?: boolean;
}

export function showAction(
  ctx: CliContext,
  envName: string,
  ticker: string,
  options: ShowCliOptions,
): Promise<void> {
  return withStore(ctx, envName, options, false, async ({ store }) => {
    const view =
      options.asOf === undefined
        ? await store.market(ticker)
        : await store.marketAsOf(ticker, parseTime(options.asOf, "--as-of"));
    const history = options.history ? await store.history("market", ticker) : undefined;
    if (options.json) return printJson(ctx, history ? { ...view, history } : view);
    printRecord(ctx, view);
    if (!history) return;
    ctx.stdout.write("\n");
    for (const change of history)
      ctx.stdout.write(
        `${change.changedAt}  ${change.source.padEnd(22)} ${change.field}: ${change.old ?? "-"} → ${change.new ?? "-"}\n`,
      );
  });
}

export function statsAction(ctx: CliContext, envName: string, options: CommonOptions): Promise<void> {
  return withStore(ctx, envName, options, false, async ({ store, db }) => {
    const { stats } = await import("../../components/secmaster/queries.js");
    const result = { database: db.location, ...(await stats(db)), recentSyncs: await recentRuns(db) };
    if (options.json) return printJson(ctx, result);
    ctx.stdout.write(
      `database  ${result.database}\nseries    ${result.series}\nevents    ${result.events}\nmarkets   ${result.markets}\nchanges   ${result.changes}\nlifecycle ${result.lifecycleEvents}\n\n`,
    );
    ctx.stdout.write(
      `by status:   ${Object.entries(result.marketsByStatus)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}\n`,
    );
    ctx.stdout.write(
      `by category: ${Object.entries(result.marketsByCategory)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}\n`,
    );
    for (const run of result.recentSyncs)
      ctx.stdout.write(`sync #${run.id} ${run.kind} ${run.scope} ${run.status} at ${run.startedAt}\n`);
    void store;
  });
}

export interface EventsCliOptions extends CommonOptions {
  series?: string;
  category?: string;
  limit?: string;
  cursor?: string;
}

export function eventsAction(
  ctx: CliContext,
  envName: string,
  ticker: string | undefined,
  options: EventsCliOptions,
) {
  return withStore(ctx, envName, options, false, async ({ store }) => {
    if (ticker) {
      const event = await store.event(ticker);
      const markets = (await store.listMarkets({ event: ticker, limit: 1000 })).items;
      if (options.json) return printJson(ctx, { ...event, markets });
      printRecord(ctx, event);
      ctx.stdout.write("\n");
      return printMarkets(ctx, markets);
    }
    const page = await store.listEvents({
      series: options.series,
      category: options.category,
      limit: positiveInt(options.limit, "--limit"),
      cursor: options.cursor,
    });
    if (options.json) return printJson(ctx, { events: page.items, cursor: page.cursor ?? null });
    printEvents(ctx, page.items);
    if (page.cursor) ctx.stderr.write(`more: --cursor ${page.cursor}\n`);
  });
}

export function seriesAction(
  ctx: CliContext,
  envName: string,
  options: { category?: string } & CommonOptions,
) {
  return withStore(ctx, envName, options, false, async ({ store }) => {
    const page = await store.listSeries({ category: options.category });
    if (options.json) return printJson(ctx, { series: page.items, cursor: page.cursor ?? null });
    printSeries(ctx, page.items);
  });
}
