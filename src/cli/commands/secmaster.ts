/**
 * `ssmd secmaster sync|list|show|stats|events|series|snapshot|watch ENV`: the security master
 * (Kalshi series, events and markets with full history in PostgreSQL or embedded PGlite).
 * ENV is an environment name under exchanges/environments/ or a path to its YAML.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";
import {
  type CommonOptions,
  eventsAction,
  type ListCliOptions,
  listAction,
  type ShowCliOptions,
  seriesAction,
  showAction,
  statsAction,
} from "./secmaster-actions.js";
import {
  type SnapshotCliOptions,
  snapshotAction,
  type WatchCliOptions,
  watchAction,
} from "./secmaster-serve.js";
import { type SyncCliOptions, syncAction } from "./secmaster-sync.js";

function common(command: Command): Command {
  return command
    .option("--dir <dir>", "exchanges directory (default: $SSMD_EXCHANGES or ./exchanges)")
    .option("--db <url>", "database instead of the environment's secmaster.url (postgres://... | pglite:DIR)")
    .option("--json", "print JSON");
}

const example = (lines: string) => `\nExample:\n${lines}\n`;

export function registerSync(parent: Command, ctx: CliContext): void {
  common(parent.command("sync <env>"))
    .description("pull series, events and markets from Kalshi REST (or ssmd sim) into the secmaster")
    .option("--incremental", "only markets that can have changed since the last complete sync")
    .option("--series <list>", "only these series (comma-separated)")
    .option("--category <name>", "only series of this category")
    .option("--dry-run", "show what would change; write nothing")
    .option("--rest-url <url>", "Kalshi REST base URL instead of the feed's rest_endpoint")
    .option("--no-events", "do not publish change events to NATS")
    .addHelpText(
      "after",
      example(
        "  ssmd secmaster sync kalshi-sim\n  ssmd secmaster sync kalshi-prod --incremental --series KXBTCD",
      ),
    )
    .action((env: string, options: SyncCliOptions) => syncAction(ctx, env, options));
}

export function registerList(parent: Command, ctx: CliContext): void {
  common(parent.command("list <env>"))
    .description("list markets (filters combine)")
    .option(
      "--status <list>",
      "initialized, active, closed, determined, finalized... (or open, unopened, settled)",
    )
    .option("--category <name>", "category (from the series)")
    .option("--series <ticker>", "series ticker")
    .option("--event <ticker>", "event ticker")
    .option("--closing-before <time>", "close time before (ISO-8601 or Unix ms)")
    .option("--search <text>", "text in ticker or title")
    .option("--limit <n>", "page size (default 100, max 1000)")
    .option("--cursor <c>", "next page (printed after a full page)")
    .addHelpText(
      "after",
      example("  ssmd secmaster list kalshi-sim --status active --category Crypto --json"),
    )
    .action((env: string, options: ListCliOptions) => listAction(ctx, env, options));
}

export function registerShow(parent: Command, ctx: CliContext): void {
  common(parent.command("show <env> <ticker>"))
    .description("one market: every field, exact decimals; --as-of for the market as it was then")
    .option("--as-of <time>", "reconstruct from history (ISO-8601 or Unix ms)")
    .option("--history", "also list every recorded change")
    .addHelpText(
      "after",
      example("  ssmd secmaster show kalshi-sim KXBTCD-26NOV21-T67749.99 --as-of 2026-11-21T15:00:00Z"),
    )
    .action((env: string, ticker: string, options: ShowCliOptions) => showAction(ctx, env, ticker, options));
}

export const secmasterCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const secmaster = program
      .command("secmaster")
      .description("security master: Kalshi series, events and markets with full history")
      .addHelpText(
        "after",
        example(
          "  ssmd secmaster sync kalshi-sim\n  ssmd secmaster show kalshi-sim KXBTCD-26NOV2118-T66999.99 --history",
        ),
      );
    registerSync(secmaster, ctx);
    registerList(secmaster, ctx);
    registerShow(secmaster, ctx);
    common(secmaster.command("stats <env>"))
      .description("counts by status and category, recent syncs")
      .addHelpText("after", example("  ssmd secmaster stats kalshi-sim"))
      .action((env: string, options: CommonOptions) => statsAction(ctx, env, options));
    common(secmaster.command("events <env> [event]"))
      .description("list events, or show one event and its markets")
      .option("--series <ticker>", "series ticker")
      .option("--category <name>", "category")
      .option("--limit <n>", "page size (default 100, max 1000)")
      .option("--cursor <c>", "next page")
      .addHelpText("after", example("  ssmd secmaster events kalshi-sim --series KXBTCD"))
      .action((env: string, event: string | undefined, options) => eventsAction(ctx, env, event, options));
    common(secmaster.command("series <env>"))
      .description("list series")
      .option("--category <name>", "category")
      .addHelpText("after", example("  ssmd secmaster series kalshi-sim --category Crypto --json"))
      .action((env: string, options) => seriesAction(ctx, env, options));
    common(secmaster.command("snapshot <env>"))
      .description(
        "write {feed}/{date}/markets.jsonl.gz (markets as of the end of that day) into the archive",
      )
      .option("--date <YYYY-MM-DD>", "day (UTC; default today)")
      .option("--output <dir>", "archive root instead of the environment's storage")
      .addHelpText("after", example("  ssmd secmaster snapshot kalshi-sim --date 2026-11-20"))
      .action((env: string, options: SnapshotCliOptions) => snapshotAction(ctx, env, options));
    common(secmaster.command("watch <env>"))
      .description("apply the connector's lifecycle stream live (and open/close times); runs until SIGTERM")
      .option("--health-addr <addr>", "listen address of /health /ready /metrics", ":8082")
      .option("--consumer <name>", "durable consumer name (default secmaster-<env>)")
      .option("--clock-check-ms <ms>", "how often open_time/close_time transitions run", "10000")
      .addHelpText("after", example("  ssmd secmaster watch kalshi-dev --health-addr 127.0.0.1:8082"))
      .action((env: string, options: WatchCliOptions) => watchAction(ctx, env, options));
  },
};
