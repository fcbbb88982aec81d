/**
 * Keeps a market cache current from the change events on the bus (`{prefix}.secmaster.>`), so
 * entries written by any process — another sync, another watcher — are dropped here too. An
 * ephemeral consumer from "now": the cache only needs changes made after it started.
 */
import type { Bus, MessageStream } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import type { MarketCache } from "./market-cache.js";

export class CacheFollower {
  private stream: MessageStream | undefined;
  private loop: Promise<void> | undefined;
  invalidated = 0;

  constructor(
    private readonly config: { stream: string; prefix: string },
    private readonly deps: { bus: Bus; cache: MarketCache; logger: Logger },
  ) {}

  async start(): Promise<void> {
    const stream = await this.deps.bus.consume({
      stream: this.config.stream,
      filterSubjects: [`${this.config.prefix}.secmaster.>`],
      deliverFrom: { kind: "new" },
    });
    this.stream = stream;
    this.loop = (async () => {
      for await (const message of stream) {
        const ticker = marketTickerOf(message.data);
        if (ticker === undefined) {
          this.deps.logger.warn("unreadable change event", { subject: message.subject });
          continue;
        }
        if (ticker !== null) {
          await this.deps.cache.invalidate([ticker]);
          this.invalidated++;
        }
      }
    })();
  }

  async stop(): Promise<void> {
    await this.stream?.close();
    await this.loop?.catch(() => {});
  }
}

/** The market ticker of a change event; null for event/series changes; undefined if unreadable. */
export function marketTickerOf(data: Uint8Array): string | null | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { entity, ticker } = value as { entity?: unknown; ticker?: unknown };
  if (typeof ticker !== "string") return undefined;
  return entity === "market" ? ticker : null;
}
