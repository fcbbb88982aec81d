/**
 * Which markets the connector subscribes per market: the explicit list (--tickers or
 * subscription.tickers), else the open markets of the configured series / categories (resolved
 * through REST), else — when a per-market channel such as orderbook_delta is wanted — every open
 * market. Also decides whether a market announced live by a lifecycle message belongs in.
 */
import type { Logger } from "../../adapters/log.js";
import { ConfigError } from "../../core/errors.js";
import type { ConnectorConfig } from "./config.js";
import type { RestPort } from "./ports.js";

export interface MarketSelection {
  /** Markets to subscribe per market at start. */
  initial: string[];
  /** True when markets come from a filter (so ticker/trade are per market, not firehose). */
  filtered: boolean;
  /** Whether a market announced live (created/activated) should be added. */
  accepts(ticker: string): boolean;
}

export async function selectMarkets(
  config: ConnectorConfig,
  needsMarkets: boolean,
  rest: RestPort | undefined,
  logger: Logger,
): Promise<MarketSelection> {
  if (config.tickers.length > 0) {
    return { initial: config.tickers, filtered: true, accepts: () => false };
  }
  const series = [...config.series, ...(await seriesOfCategories(config.categories, rest))];
  const filtered = config.series.length > 0 || config.categories.length > 0;
  if (!filtered && !needsMarkets) return { initial: [], filtered: false, accepts: () => false };
  if (!rest) throw new ConfigError("resolving markets needs the Kalshi REST endpoint (rest_endpoint)");
  const initial: string[] = [];
  const queries = filtered
    ? series.map((name) => ({ status: "open", series_ticker: name }))
    : [{ status: "open" }];
  for (const query of queries) {
    for await (const market of rest.markets({ ...query, limit: 1000 })) initial.push(market.ticker);
  }
  logger.info("markets resolved through REST", { markets: initial.length, series: series.length });
  const prefixes = series.map((name) => `${name}-`);
  const accepts = filtered
    ? (ticker: string) => prefixes.some((prefix) => ticker.startsWith(prefix))
    : () => true;
  return { initial, filtered, accepts };
}

async function seriesOfCategories(categories: string[], rest: RestPort | undefined): Promise<string[]> {
  if (categories.length === 0) return [];
  if (!rest?.series) throw new ConfigError("category filters need the Kalshi REST endpoint (rest_endpoint)");
  const names: string[] = [];
  for (const category of categories) {
    for (const series of await rest.series({ category })) names.push(series.ticker);
  }
  return names;
}
