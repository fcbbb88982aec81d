/**
 * The connector's plain, already-validated configuration (built by the CLI from the feed and
 * environment files, or by `ssmd demo`). Nothing here reads env or files.
 */
import type { StreamSpec } from "../../adapters/bus/types.js";
import { ValidationError } from "../../core/errors.js";
import { streamWildcard } from "../../core/subjects.js";
import { DEFAULT_PUBLISHER_OPTIONS, type PublisherOptions } from "./publisher-types.js";

export interface ConnectorConfig {
  /** Feed name: the `feed` label of every metric. */
  feed: string;
  /** Subject prefix, e.g. prod.kalshi. */
  prefix: string;
  /** Stream the connector creates or checks at start (subjects default to `{prefix}.>`). */
  stream: StreamSpec;
  /** Kalshi channels: ticker, trade, orderbook_delta, market_lifecycle_v2, ... */
  channels: string[];
  /** Explicit markets (--tickers or subscription.tickers); no live additions when set. */
  tickers: string[];
  /** Series filters (resolved through REST /markets?series_ticker=). */
  series: string[];
  /** Category filters (resolved through REST /series?category= then /markets). */
  categories: string[];
  maxMarketsPerConnection: number;
  publisher: PublisherOptions;
  reconnect: { baseDelayMs: number; maxDelayMs: number };
  /** A connection without ping or data for staleAfterMs is reconnected. */
  watchdog: { staleAfterMs: number; checkEveryMs: number };
  /** Backfill the outage window's trades from REST after a reconnect. */
  backfillTrades: boolean;
  /** How long stop() waits for in-flight publishes. */
  drainTimeoutMs: number;
}

export type ConnectorConfigInput = Pick<ConnectorConfig, "feed" | "prefix" | "channels"> &
  Partial<Omit<ConnectorConfig, "stream" | "publisher">> & {
    stream: string | StreamSpec;
    publisher?: Partial<PublisherOptions>;
  };

export const KNOWN_CHANNELS = [
  "orderbook_delta",
  "ticker",
  "ticker_v2",
  "trade",
  "market_lifecycle_v2",
  "multivariate_market_lifecycle",
  "multivariate",
] as const;

/** Fills defaults and checks the values; every problem is listed at once. */
export function resolveConnectorConfig(input: ConnectorConfigInput): ConnectorConfig {
  const stream: StreamSpec =
    typeof input.stream === "string"
      ? { name: input.stream, subjects: [streamWildcard(input.prefix)], storage: "file" }
      : input.stream;
  const config: ConnectorConfig = {
    feed: input.feed,
    prefix: input.prefix,
    stream,
    channels: [...new Set(input.channels)],
    tickers: [...new Set(input.tickers ?? [])],
    series: input.series ?? [],
    categories: input.categories ?? [],
    maxMarketsPerConnection: input.maxMarketsPerConnection ?? 200,
    publisher: { ...DEFAULT_PUBLISHER_OPTIONS, ...input.publisher },
    reconnect: input.reconnect ?? { baseDelayMs: 250, maxDelayMs: 30_000 },
    watchdog: input.watchdog ?? { staleAfterMs: 30_000, checkEveryMs: 5_000 },
    backfillTrades: input.backfillTrades ?? true,
    drainTimeoutMs: input.drainTimeoutMs ?? 10_000,
  };
  const problems = configProblems(config);
  if (problems.length > 0) throw new ValidationError("invalid connector configuration", problems);
  return config;
}

function configProblems(config: ConnectorConfig): string[] {
  const problems: string[] = [];
  if (!config.feed) problems.push("feed: required");
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(config.prefix)) {
    problems.push(`prefix: '${config.prefix}' is not a valid NATS subject prefix`);
  }
  if (!config.stream.name) problems.push("stream: a stream name is required");
  if (config.channels.length === 0) problems.push("channels: at least one channel is required");
  for (const channel of config.channels) {
    if (!(KNOWN_CHANNELS as readonly string[]).includes(channel)) {
      problems.push(`channels: unknown channel '${channel}' (valid: ${KNOWN_CHANNELS.join(", ")})`);
    }
  }
  if (!Number.isInteger(config.maxMarketsPerConnection) || config.maxMarketsPerConnection < 1) {
    problems.push("max_markets_per_connection: must be a positive integer");
  }
  if (config.publisher.maxInFlight < 1) problems.push("publisher.maxInFlight: must be ≥ 1");
  if (config.publisher.maxBufferedMessages < config.publisher.maxInFlight) {
    problems.push("publisher.maxBufferedMessages: must be ≥ maxInFlight");
  }
  return problems;
}
