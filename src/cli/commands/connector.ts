/**
 * `ssmd connector --feed F --env E [--health-addr :8080] [--tickers A,B]` (also `ssmd-connector`):
 * Kalshi WebSocket → NATS JetStream. Endpoints from the feed version in force today
 * (KALSHI_USE_DEMO picks the demo ones), credentials from KALSHI_API_KEY + KALSHI_PRIVATE_KEY or
 * KALSHI_PRIVATE_KEY_PATH, subscription/transport from the environment. Runs until SIGTERM/SIGINT,
 * then drains (stop reading, flush publishes, close sockets) and exits 0.
 */
import type { Command } from "commander";
import { connectNatsBus } from "../../adapters/bus/nats-bus.js";
import { parseListenAddress, startProbeServer } from "../../adapters/http/probe-server.js";
import { type KalshiCredentials, loadCredentials } from "../../adapters/kalshi/credentials.js";
import type { Logger } from "../../adapters/log.js";
import { onShutdown } from "../../adapters/shutdown.js";
import { createConnector, type RestPort, resolveConnectorConfig } from "../../components/connector/index.js";
import { kalshiClients } from "../../components/connector/kalshi-clients.js";
import { ConfigError, ValidationError } from "../../core/errors.js";
import { feedVersionAt, loadEnvironmentFile, loadFeedFile } from "../../metadata/load.js";
import { streamSpecFor } from "../../metadata/retention.js";
import type { EnvironmentConfig, FeedVersion } from "../../metadata/types.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import type { CommandModule } from "./command-module.js";

interface ConnectorOptions {
  feed: string;
  env: string;
  healthAddr: string;
  tickers?: string;
}

export const connectorCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    program
      .command("connector")
      .description("stream Kalshi market data into NATS JetStream (gap, disconnect and DLQ records included)")
      .requiredOption("--feed <file>", "feed file, e.g. exchanges/feeds/kalshi.yaml")
      .requiredOption("--env <file>", "environment file, e.g. exchanges/environments/kalshi-dev.yaml")
      .option("--health-addr <addr>", "listen address of /health /ready /metrics", ":8080")
      .option("--tickers <list>", "comma-separated markets (overrides the environment's subscription)")
      .addHelpText(
        "after",
        "\nEnvironment: KALSHI_API_KEY, KALSHI_PRIVATE_KEY or KALSHI_PRIVATE_KEY_PATH, KALSHI_USE_DEMO, LOG_LEVEL\n" +
          "\nExample:\n  ssmd connector --feed exchanges/feeds/kalshi-sim.yaml --env exchanges/environments/kalshi-sim.yaml --health-addr 127.0.0.1:8080\n",
      )
      .action((options: ConnectorOptions) => runConnector(ctx, options));
  },
};

async function runConnector(ctx: CliContext, options: ConnectorOptions): Promise<void> {
  const logger = commandLogger(ctx, "connector");
  const environment = await loadEnvironmentFile(options.env);
  const feed = await loadFeedFile(options.feed);
  if (environment.feed !== feed.name) {
    throw new ConfigError(
      `environment '${environment.name}' uses feed '${environment.feed}', not '${feed.name}'`,
    );
  }
  const transport = environment.transport;
  if (transport.type !== "nats") {
    throw new ConfigError(
      `transport '${transport.type}' only works in-process (ssmd demo); the connector needs transport type nats`,
    );
  }
  const health = listenAddress(options.healthAddr);
  const endpoints = pickEndpoints(feedVersionAt(feed, new Date().toISOString().slice(0, 10)), ctx.env);
  const credentials = await credentialsFromEnv(ctx.env, environment, logger);
  const config = resolveConnectorConfig({
    feed: feed.name,
    prefix: transport.subject_prefix,
    stream: streamSpecFor(transport),
    channels: environment.subscription.channels,
    tickers: options.tickers ? splitList(options.tickers) : (environment.subscription.tickers ?? []),
    series: options.tickers ? [] : environment.subscription.series,
    categories: options.tickers ? [] : environment.subscription.categories,
    maxMarketsPerConnection: environment.subscription.max_markets_per_connection,
  });
  const bus = await connectNatsBus({ url: transport.url, name: "ssmd-connector", logger });
  const clients = kalshiClients({ ...endpoints, credentials }, logger);
  const secmaster = options.tickers ? undefined : await secmasterResolver(environment, clients.rest, logger);
  if (secmaster) clients.rest = secmaster.rest;
  const connector = createConnector(config, { bus, logger, ...clients });
  const probes = await startProbeServer(
    {
      health: () => connector.health(),
      ready: () => connector.ready(),
      registry: connector.metrics.registry,
    },
    health.host,
    health.port,
  );
  logger.info("probe server listening", { url: probes.url });
  const stopped = new Promise<void>((resolve) => {
    onShutdown(
      async (signal) => {
        logger.info("shutting down", { signal });
        await connector.stop();
        await bus.close();
        await probes.close();
        await secmaster?.close();
      },
      (code) => {
        process.exitCode = code;
        resolve();
      },
    );
  });
  try {
    await connector.start();
  } catch (error) {
    await bus.close();
    await probes.close();
    throw error;
  }
  await stopped;
}

function pickEndpoints(version: FeedVersion, env: CliContext["env"]): { wsUrl: string; restUrl: string } {
  if (!isTruthy(env.KALSHI_USE_DEMO)) return { wsUrl: version.endpoint, restUrl: version.rest_endpoint };
  if (!version.demo_endpoint || !version.demo_rest_endpoint) {
    throw new ConfigError(`KALSHI_USE_DEMO is set but feed version ${version.version} has no demo endpoints`);
  }
  return { wsUrl: version.demo_endpoint, restUrl: version.demo_rest_endpoint };
}

async function credentialsFromEnv(
  env: CliContext["env"],
  environment: EnvironmentConfig,
  logger: Logger,
): Promise<KalshiCredentials | undefined> {
  const apiKey = env.KALSHI_API_KEY;
  if (!apiKey) {
    if (environment.keys.kalshi?.required) {
      throw new ConfigError(
        "Kalshi credentials missing: set KALSHI_API_KEY and KALSHI_PRIVATE_KEY (or _PATH)",
      );
    }
    logger.warn("no Kalshi credentials: connecting unauthenticated");
    return undefined;
  }
  const privateKeyPem = env.KALSHI_PRIVATE_KEY || undefined;
  const privateKeyPath = env.KALSHI_PRIVATE_KEY_PATH || undefined;
  return loadCredentials({
    apiKey,
    ...(privateKeyPem ? { privateKeyPem } : {}),
    ...(privateKeyPath ? { privateKeyPath } : {}),
  });
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && !["", "0", "false", "no", "off"].includes(value.toLowerCase());
}

function listenAddress(text: string): { host: string; port: number } {
  const address = parseListenAddress(text);
  if (Number.isNaN(address.port)) {
    throw new ValidationError(`invalid --health-addr '${text}'`, ["expected host:port, :port or port"]);
  }
  return address;
}

/**
 * Category/series filters resolved through the secmaster when the environment has a PostgreSQL
 * one (an embedded PGlite directory belongs to one process, so it is not shared here).
 */
async function secmasterResolver(environment: EnvironmentConfig, rest: RestPort | undefined, logger: Logger) {
  const url = environment.secmaster?.url;
  const filtered =
    environment.subscription.series.length > 0 || environment.subscription.categories.length > 0;
  if (!url || !rest || !filtered || !/^postgres(ql)?:\/\//.test(url)) return undefined;
  const { openDb } = await import("../../adapters/db/open-db.js");
  const { SecmasterStore, secmasterRestPort } = await import("../../components/secmaster/index.js");
  const db = await openDb(url);
  logger.info("resolving series/category filters through the secmaster", { database: db.location });
  return { rest: secmasterRestPort(new SecmasterStore(db), rest), close: () => db.close() };
}
