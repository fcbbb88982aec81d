/** `ssmd feed create|update|add-version`: round-trip edits of exchanges/feeds/<name>.yaml. */
import { join } from "node:path";
import type { Command } from "commander";
import { Document } from "yaml";
import { ConflictError, ValidationError } from "../../core/errors.js";
import { createFile, editFile, renderYaml, setAfter } from "../../metadata/edit.js";
import { FEED_STATUSES } from "../../metadata/feed-file.js";
import type { FeedVersion } from "../../metadata/types.js";
import type { CliContext } from "../context.js";
import { check, printLine } from "../output.js";
import {
  type DirOptions,
  openTree,
  requireDate,
  requireEntry,
  requireNewName,
  requireValid,
  splitList,
  withDirOption,
} from "./metadata-common.js";

interface VersionOptions {
  version?: string;
  effectiveFrom?: string;
  protocol?: string;
  endpoint?: string;
  restEndpoint?: string;
  demoEndpoint?: string;
  demoRestEndpoint?: string;
  authMethod?: string;
  capabilities?: string;
}

interface CreateOptions extends DirOptions, VersionOptions {
  displayName?: string;
  type?: string;
  status?: string;
  timezone?: string;
}

function versionFrom(options: VersionOptions, fallbackVersion: string): Record<string, unknown> {
  if (!options.endpoint || !options.restEndpoint) {
    throw new ValidationError(
      "a feed version needs --endpoint (WebSocket URL) and --rest-endpoint (REST base URL)",
    );
  }
  const from = requireDate(
    options.effectiveFrom ?? new Date().toISOString().slice(0, 10),
    "--effective-from",
  );
  const version: Record<string, unknown> = {
    version: options.version ?? fallbackVersion,
    effective_from: from,
    protocol: options.protocol ?? options.endpoint.split(":")[0],
    endpoint: options.endpoint,
    rest_endpoint: options.restEndpoint,
  };
  if (options.demoEndpoint) version.demo_endpoint = options.demoEndpoint;
  if (options.demoRestEndpoint) version.demo_rest_endpoint = options.demoRestEndpoint;
  if (options.authMethod) version.auth_method = options.authMethod;
  const capabilities = splitList(options.capabilities);
  if (capabilities) version.capabilities = capabilities;
  return version;
}

async function createFeed(ctx: CliContext, name: string, options: CreateOptions): Promise<void> {
  requireNewName("feed", name);
  const tree = await openTree(ctx, options);
  if (tree.feeds.has(name))
    throw new ConflictError(`feed '${name}' already exists (use: ssmd feed update ${name})`);
  const feed: Record<string, unknown> = { name };
  if (options.displayName) feed.display_name = options.displayName;
  feed.type = options.type ?? "websocket";
  feed.status = options.status ?? "active";
  feed.calendar = { timezone: options.timezone ?? "UTC" };
  feed.versions = [versionFrom(options, "v1")];
  const path = join(tree.dir, "feeds", `${name}.yaml`);
  await createFile("feed", path, renderYaml(new Document(feed)));
  printLine(ctx, check(ctx, true, `created feed '${name}' (${path})`));
}

interface UpdateOptions extends DirOptions {
  status?: string;
  displayName?: string;
  timezone?: string;
}

async function updateFeed(ctx: CliContext, name: string, options: UpdateOptions): Promise<void> {
  const tree = await openTree(ctx, options);
  const entry = requireEntry(tree.feeds, "feed", name);
  const changes: [string[], string][] = [];
  if (options.status) changes.push([["status"], options.status]);
  if (options.displayName) changes.push([["display_name"], options.displayName]);
  if (options.timezone) changes.push([["calendar", "timezone"], options.timezone]);
  if (changes.length === 0)
    throw new ValidationError("nothing to update", ["give --status, --display-name or --timezone"]);
  await editFile("feed", entry.path, (doc) => {
    for (const [path, value] of changes) doc.setIn(path, value);
  });
  printLine(
    ctx,
    check(ctx, true, `updated feed '${name}': ${changes.map(([p, v]) => `${p.join(".")}=${v}`).join(", ")}`),
  );
}

/** Appends a version; an open-ended earlier version is closed on the new version's start date. */
async function addVersion(
  ctx: CliContext,
  name: string,
  options: VersionOptions & DirOptions,
): Promise<void> {
  const tree = await openTree(ctx, options);
  const feed = requireValid(tree, requireEntry(tree.feeds, "feed", name));
  const version = versionFrom(options, `v${feed.versions.length + 1}`);
  const from = String(version.effective_from);
  const closing = feed.versions.findIndex(
    (v: FeedVersion) => v.effective_to === undefined && v.effective_from < from,
  );
  await editFile("feed", join(tree.dir, "feeds", `${name}.yaml`), (doc) => {
    if (closing >= 0) setAfter(doc, ["versions", closing], "effective_to", from, "effective_from");
    doc.addIn(["versions"], doc.createNode(version));
  });
  const closed = closing >= 0 ? ` (version '${feed.versions[closing]?.version}' now ends ${from})` : "";
  printLine(
    ctx,
    check(ctx, true, `added version '${String(version.version)}' to feed '${name}' from ${from}${closed}`),
  );
}

function versionFlags(command: Command): Command {
  return command
    .option("--effective-from <date>", "first day in force, YYYY-MM-DD (default today)")
    .option("--endpoint <url>", "WebSocket URL")
    .option("--rest-endpoint <url>", "REST base URL")
    .option("--protocol <protocol>", "wss|ws (default: from the endpoint)")
    .option("--demo-endpoint <url>", "demo WebSocket URL")
    .option("--demo-rest-endpoint <url>", "demo REST base URL")
    .option("--auth-method <method>", "e.g. rsa_pss_sha256")
    .option("--capabilities <list>", "comma-separated channels");
}

export function registerFeedEdits(feed: Command, ctx: CliContext): void {
  versionFlags(withDirOption(feed.command("create")))
    .description("create a feed with its first version")
    .argument("<name>", "feed name (= file name)")
    .option("--first-version <version>", "name of the first version", "v1")
    .option("--display-name <text>", "human name")
    .option("--type <type>", "websocket|rest|fix", "websocket")
    .option("--status <status>", FEED_STATUSES.join("|"), "active")
    .option("--timezone <tz>", "calendar time zone", "UTC")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd feed create polymarket --endpoint wss://ws.example.com/v1 --rest-endpoint https://api.example.com/v1 --effective-from 2026-01-01\n",
    )
    .action((name: string, options: CreateOptions & { firstVersion: string }) =>
      createFeed(ctx, name, { ...options, version: options.firstVersion }),
    );
  withDirOption(feed.command("update"))
    .description("change a feed's status, display name or time zone (comments are kept)")
    .argument("<name>", "feed name")
    .option("--status <status>", FEED_STATUSES.join("|"))
    .option("--display-name <text>", "human name")
    .option("--timezone <tz>", "calendar time zone")
    .addHelpText("after", "\nExample:\n  ssmd feed update kalshi --status deprecated\n")
    .action((name: string, options: UpdateOptions) => updateFeed(ctx, name, options));
  versionFlags(withDirOption(feed.command("add-version")))
    .description("add a dated version (closes the open-ended previous one on its start date)")
    .argument("<name>", "feed name")
    .argument("[version]", "version name (default v<N+1>)")
    .addHelpText(
      "after",
      "\nExample:\n  ssmd feed add-version kalshi v3 --effective-from 2027-01-01 --endpoint wss://new/ws --rest-endpoint https://new/v2\n",
    )
    .action((name: string, version: string | undefined, options: VersionOptions & DirOptions) =>
      addVersion(ctx, name, { ...options, version }),
    );
}
