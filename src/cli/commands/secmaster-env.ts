/**
 * What every `ssmd secmaster` / `ssmd market` command resolves from its ENV argument: the
 * environment (a name under exchanges/environments/ or a path to its YAML), its feed's REST
 * endpoint, the secmaster database (opened and migrated), and — for commands that write — the
 * change-event bus and the Redis cache.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Bus } from "../../adapters/bus/types.js";
import { connectRedisCache } from "../../adapters/cache/redis-cache.js";
import type { Db } from "../../adapters/db/db.js";
import { openDb } from "../../adapters/db/open-db.js";
import type { Logger } from "../../adapters/log.js";
import { busChangeSink } from "../../components/secmaster/change-events.js";
import { MarketCache } from "../../components/secmaster/market-cache.js";
import { createSecmasterMetrics, type SecmasterMetrics } from "../../components/secmaster/metrics.js";
import { SecmasterStore } from "../../components/secmaster/secmaster-store.js";
import { ConfigError, NotFoundError, UnavailableError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { feedVersionAt, loadEnvironmentFile, loadFeedFile } from "../../metadata/load.js";
import type { EnvironmentConfig } from "../../metadata/types.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";

export interface EnvOptions {
  dir?: string;
  db?: string;
  restUrl?: string;
  events?: boolean;
  cache?: boolean;
}

export interface ResolvedEnv {
  environment: EnvironmentConfig;
  path: string;
  exchangesDir: string;
  dbUrl: string;
}

function looksLikePath(text: string): boolean {
  return text.includes("/") || text.endsWith(".yaml") || text.endsWith(".yml");
}

export async function resolveEnv(ctx: CliContext, name: string, options: EnvOptions): Promise<ResolvedEnv> {
  const defaultDir = resolve(ctx.cwd, options.dir || ctx.env.SSMD_EXCHANGES || "exchanges");
  let path: string;
  let exchangesDir = defaultDir;
  if (looksLikePath(name)) {
    path = resolve(ctx.cwd, name);
    if (!options.dir && !ctx.env.SSMD_EXCHANGES) exchangesDir = dirname(dirname(path));
  } else {
    path = join(defaultDir, "environments", `${name}.yaml`);
    if (!existsSync(path)) throw unknownEnvironment(defaultDir, name);
  }
  const environment = await loadEnvironmentFile(path);
  const dbUrl = options.db ?? environment.secmaster?.url;
  if (!dbUrl) {
    throw new ConfigError(`environment '${environment.name}' has no secmaster database`, {
      details: [
        "add `secmaster: { url: pglite:./data/secmaster }` (or postgres://...) to it, or pass --db URL",
      ],
    });
  }
  return { environment, path, exchangesDir, dbUrl };
}

function unknownEnvironment(dir: string, name: string): NotFoundError {
  const folder = join(dir, "environments");
  const names = existsSync(folder)
    ? readdirSync(folder)
        .filter((file) => file.endsWith(".yaml"))
        .map((file) => basename(file, ".yaml"))
    : [];
  return new NotFoundError("environment", name, names, suggest(name, names));
}

/** REST base URL: --rest-url, else the environment's feed version in force today. */
export async function restUrlOf(ctx: CliContext, env: ResolvedEnv, options: EnvOptions): Promise<string> {
  if (options.restUrl) return options.restUrl;
  const feedPath = join(env.exchangesDir, "feeds", `${env.environment.feed}.yaml`);
  if (!existsSync(feedPath))
    throw new ConfigError(`feed file ${feedPath} not found`, { details: ["pass --dir, or --rest-url URL"] });
  const version = feedVersionAt(await loadFeedFile(feedPath), new Date().toISOString().slice(0, 10));
  const demo = ctx.env.KALSHI_USE_DEMO;
  if (demo && !["", "0", "false", "no", "off"].includes(demo.toLowerCase())) {
    if (!version.demo_rest_endpoint)
      throw new ConfigError(`feed version ${version.version} has no demo_rest_endpoint`);
    return version.demo_rest_endpoint;
  }
  return version.rest_endpoint;
}

/** One-shot commands log to stderr (stdout is their table/JSON); `watch` logs to stdout. */
export function cliLogger(ctx: CliContext, component: string, longRunning = false): Logger {
  if (longRunning) return commandLogger(ctx, component);
  return commandLogger(ctx, component, { out: ctx.stderr, defaultLevel: "warn" });
}

export interface OpenedStore {
  store: SecmasterStore;
  db: Db;
  bus: Bus | undefined;
  cache: MarketCache | undefined;
  close(): Promise<void>;
}

/** Opens the database; with `writer`, also the change-event bus and the cache (when configured). */
export async function openSecmaster(
  ctx: CliContext,
  env: ResolvedEnv,
  options: EnvOptions,
  writer: boolean,
  logger: Logger,
): Promise<OpenedStore> {
  const db = await openDb(env.dbUrl, { cwd: ctx.cwd });
  const metrics = createSecmasterMetrics();
  const closers: (() => Promise<void>)[] = [() => db.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => {});
  };
  try {
    const transport = env.environment.transport;
    let bus: Bus | undefined;
    if (writer && options.events !== false && transport.type === "nats") {
      const { connectNatsBus } = await import("../../adapters/bus/nats-bus.js");
      bus = await connectNatsBus({ url: transport.url, name: "ssmd-secmaster", logger });
      const opened = bus;
      closers.push(() => opened.close());
      if (!(await bus.streamInfo(transport.stream))) {
        await bus.ensureStream({
          name: transport.stream,
          subjects: [`${transport.subject_prefix}.>`],
          storage: "file",
        });
      }
    }
    let cache: MarketCache | undefined;
    if (env.environment.cache && options.cache !== false) {
      cache = await openCache(env.environment, metrics, logger);
      const opened = cache;
      if (opened) closers.push(() => opened.close());
    }
    const sink = bus ? busChangeSink(bus, transport.subject_prefix, logger, metrics) : undefined;
    return { store: new SecmasterStore(db, { sink, cache, metrics, logger }), db, bus, cache, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The environment's Redis cache, or none (with a warning) if unreachable: a cache is an optimisation. */
async function openCache(
  environment: EnvironmentConfig,
  metrics: SecmasterMetrics,
  logger: Logger,
): Promise<MarketCache | undefined> {
  if (!environment.cache) return undefined;
  try {
    const kv = await connectRedisCache({
      url: environment.cache.url,
      keyPrefix: `ssmd:${environment.name}:`,
    });
    return new MarketCache(kv, metrics, logger);
  } catch (error) {
    if (!(error instanceof UnavailableError)) throw error;
    logger.warn("market cache unavailable; continuing without it", { error: error.message });
    return undefined;
  }
}
