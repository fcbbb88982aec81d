/**
 * Live re-sharding from lifecycle messages: a market announced `created`/`activated` that the
 * selection accepts joins the first shard with room (`update_subscription add_markets`), or a new
 * connection when every shard is full; a `determined`/`settled` market leaves its shard. The
 * shard plan (core/shard-plan.ts) decides; this class applies its changes to the connections.
 */
import type { Logger } from "../../adapters/log.js";
import { assignMarket, removeMarket, type ShardPlan } from "../../core/shard-plan.js";
import type { ShardSession } from "./shard-session.js";

export interface LiveMarketsDeps {
  /** The connector's shard list (appended to when a new shard opens). */
  shards: ShardSession[];
  openShard(index: number, markets: string[]): ShardSession;
  accepts(ticker: string): boolean;
  logger: Logger;
}

export class LiveMarkets {
  constructor(
    private plan: ShardPlan,
    private readonly deps: LiveMarketsDeps,
  ) {}

  /** Handles one market_lifecycle_v2 frame's event type for `ticker`. */
  apply(eventType: string | undefined, ticker: string): void {
    if ((eventType === "created" || eventType === "activated") && this.deps.accepts(ticker))
      this.add(ticker, eventType);
    else if (eventType === "determined" || eventType === "settled") this.remove(ticker, eventType);
  }

  private add(ticker: string, eventType: string): void {
    const assignment = assignMarket(this.plan, ticker);
    if (!assignment.added) return;
    this.plan = assignment.plan;
    this.deps.logger.info("market added", { ticker, shard: assignment.shard, event_type: eventType });
    if (assignment.newShard) {
      const shard = this.deps.openShard(assignment.shard, [ticker]);
      this.deps.shards.push(shard);
      void shard.start();
    } else {
      void this.deps.shards[assignment.shard]?.addMarkets([ticker]);
    }
  }

  private remove(ticker: string, eventType: string): void {
    const removal = removeMarket(this.plan, ticker);
    if (removal.shard === undefined) return;
    this.plan = removal.plan;
    this.deps.logger.info("market removed", { ticker, shard: removal.shard, event_type: eventType });
    void this.deps.shards[removal.shard]?.removeMarkets([ticker]);
  }
}

/** event_type of a market_lifecycle_v2 frame (low volume: a plain JSON.parse is fine). */
export function lifecycleEventType(text: string): string | undefined {
  try {
    const frame = JSON.parse(text) as { msg?: { event_type?: unknown } };
    return typeof frame.msg?.event_type === "string" ? frame.msg.event_type : undefined;
  } catch {
    return undefined;
  }
}
