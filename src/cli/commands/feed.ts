/** `ssmd feed list|show|create|update|add-version`: feeds under exchanges/feeds/. */
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import { FEED_STATUSES } from "../../metadata/feed-file.js";
import { feedVersionAt } from "../../metadata/load.js";
import type { FeedConfig, FeedVersion } from "../../metadata/types.js";
import type { CliContext } from "../context.js";
import { printJson, printLine, printTable } from "../output.js";
import type { CommandModule } from "./command-module.js";
import {
  type DirOptions,
  openTree,
  requireDate,
  requireEntry,
  requireValid,
  withDirOption,
} from "./metadata-common.js";
import { registerFeedEdits } from "./metadata-feed-edit.js";

interface ListOptions extends DirOptions {
  status?: string;
  json?: boolean;
}

interface ShowOptions extends DirOptions {
  asOf?: string;
  json?: boolean;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function inForce(feed: FeedConfig, date: string): FeedVersion | undefined {
  try {
    return feedVersionAt(feed, date);
  } catch {
    return undefined;
  }
}

async function listFeeds(ctx: CliContext, options: ListOptions): Promise<void> {
  if (options.status && !(FEED_STATUSES as readonly string[]).includes(options.status)) {
    throw new ValidationError(`--status '${options.status}' is not a feed status`, [
      `valid: ${FEED_STATUSES.join(", ")}`,
    ]);
  }
  const tree = await openTree(ctx, options);
  const feeds = [...tree.feeds.values()].filter(
    (e) => !options.status || e.config?.status === options.status,
  );
  const date = today();
  const rows = feeds.map(({ name, config }) => {
    const current = config ? inForce(config, date) : undefined;
    return {
      name,
      status: config?.status ?? "invalid",
      type: config?.type,
      versions: config?.versions.length ?? 0,
      current: current?.version,
      endpoint: current?.endpoint,
    };
  });
  if (options.json) return printJson(ctx, rows);
  printTable(
    ctx,
    ["NAME", "STATUS", "TYPE", "VERSIONS", "IN FORCE", "ENDPOINT"],
    rows.map((r) => [r.name, r.status, r.type, r.versions, r.current, r.endpoint]),
  );
}

async function showFeed(ctx: CliContext, name: string, options: ShowOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.feeds, "feed", name);
  const feed = requireValid(tree, entry);
  if (options.asOf !== undefined) {
    const version = feedVersionAt(feed, requireDate(options.asOf));
    if (options.json)
      return printJson(ctx, { feed: feed.name, status: feed.status, as_of: options.asOf, version });
    printLine(ctx, `${feed.name} on ${options.asOf}: version ${version.version} (${window(version)})`);
    for (const [key, value] of Object.entries(version)) printLine(ctx, `  ${key}: ${format(value)}`);
    return;
  }
  if (options.json) return printJson(ctx, feed);
  printLine(
    ctx,
    `${feed.name}${feed.display_name ? ` (${feed.display_name})` : ""}: ${feed.type}, ${feed.status}`,
  );
  if (feed.calendar)
    printLine(ctx, `calendar: ${feed.calendar.timezone} ${feed.calendar.hours ?? ""}`.trimEnd());
  const current = inForce(feed, today())?.version;
  const rows = feed.versions.map((v) => [
    v.version === current ? `${v.version} *` : v.version,
    window(v),
    v.endpoint,
    v.rest_endpoint,
  ]);
  printTable(ctx, ["VERSION", "EFFECTIVE", "ENDPOINT", "REST"], rows);
  printLine(ctx, "(* = in force today)");
}

function window(version: FeedVersion): string {
  return `${version.effective_from} .. ${version.effective_to ?? "open"}`;
}

function format(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

export const feedCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    const feed = program.command("feed").description("list, show and edit feeds (exchanges/feeds/*.yaml)");
    feed.addHelpText("after", "\nExample:\n  ssmd feed show kalshi --as-of 2026-06-01\n");
    withDirOption(feed.command("list"))
      .description("list feeds with the version in force today")
      .option("--status <status>", `only feeds with this status (${FEED_STATUSES.join("|")})`)
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd feed list --status active --json\n")
      .action((options: ListOptions) => listFeeds(ctx, options));
    withDirOption(feed.command("show"))
      .description("show a feed, or the version in force on a date")
      .argument("<name>", "feed name")
      .option("--as-of <date>", "the version in force on this date (YYYY-MM-DD)")
      .option("--json", "print as JSON")
      .addHelpText("after", "\nExample:\n  ssmd feed show kalshi --as-of 2025-06-01\n")
      .action((name: string, options: ShowOptions) => showFeed(ctx, name, options));
    registerFeedEdits(feed, ctx);
  },
};
