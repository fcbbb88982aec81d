/**
 * Read-through cache of market views by ticker (Redis in production). Entries are replaced or
 * dropped when a change event for the ticker arrives or this process writes the market; a TTL
 * bounds staleness should an event be missed. Cache failures count as misses.
 */
import type { KeyValueCache } from "../../adapters/cache/redis-cache.js";
import type { Logger } from "../../adapters/log.js";
import type { SecmasterMetrics } from "./metrics.js";
import type { EntityView } from "./queries.js";

const keyOf = (ticker: string) => `market:${ticker}`;

function parseView(text: string): EntityView | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const view: EntityView = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== null && typeof field !== "string") return undefined;
    view[key] = field;
  }
  return typeof view.ticker === "string" ? view : undefined;
}

export class MarketCache {
  constructor(
    private readonly cache: KeyValueCache,
    private readonly metrics: SecmasterMetrics,
    private readonly logger: Logger,
    private readonly ttlSeconds = 3600,
  ) {}

  async get(ticker: string): Promise<EntityView | undefined> {
    try {
      const text = await this.cache.get(keyOf(ticker));
      const view = text === undefined ? undefined : parseView(text);
      this.metrics.cache.inc({ result: view ? "hit" : "miss" });
      return view;
    } catch (error) {
      this.failed("get", error);
      return undefined;
    }
  }

  async put(view: EntityView): Promise<void> {
    if (typeof view.ticker !== "string") return;
    try {
      await this.cache.set(keyOf(view.ticker), JSON.stringify(view), this.ttlSeconds);
    } catch (error) {
      this.failed("set", error);
    }
  }

  async invalidate(tickers: string[]): Promise<void> {
    try {
      await this.cache.delete(tickers.map(keyOf));
    } catch (error) {
      this.failed("delete", error);
    }
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  private failed(operation: string, error: unknown): void {
    this.metrics.cache.inc({ result: "error" });
    this.logger.warn("market cache unavailable", { operation, error });
  }
}
