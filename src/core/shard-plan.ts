/**
 * Pure sharding of markets over WebSocket connections. Each connection ("shard") carries at most
 * `maxPerShard` markets; markets are added live (lifecycle created/activated) to the first shard
 * with room, or to a new shard, and removed when determined/settled — no restart needed.
 * The plan is a plain value; the connector turns its changes into subscribe/update commands.
 */
export interface ShardPlan {
  readonly maxPerShard: number;
  /** Markets per shard, in the order they were assigned. */
  readonly shards: readonly (readonly string[])[];
}

export interface Assignment {
  plan: ShardPlan;
  /** Index of the shard holding the market. */
  shard: number;
  /** True when the market was not in the plan before. */
  added: boolean;
  /** True when a new shard had to be opened for it. */
  newShard: boolean;
}

export function emptyPlan(maxPerShard: number): ShardPlan {
  if (!Number.isInteger(maxPerShard) || maxPerShard < 1) {
    throw new RangeError(`maxPerShard must be a positive integer, got ${maxPerShard}`);
  }
  return { maxPerShard, shards: [] };
}

/** Splits `tickers` (deduplicated, order kept) into shards of at most `maxPerShard`. */
export function planShards(tickers: readonly string[], maxPerShard: number): ShardPlan {
  emptyPlan(maxPerShard); // validates
  const unique = [...new Set(tickers)];
  const shards: string[][] = [];
  for (let start = 0; start < unique.length; start += maxPerShard) {
    shards.push(unique.slice(start, start + maxPerShard));
  }
  return { maxPerShard, shards };
}

export function shardOf(plan: ShardPlan, ticker: string): number | undefined {
  const index = plan.shards.findIndex((markets) => markets.includes(ticker));
  return index < 0 ? undefined : index;
}

/** Adds one market to the first shard with room (a new shard when all are full). */
export function assignMarket(plan: ShardPlan, ticker: string): Assignment {
  const existing = shardOf(plan, ticker);
  if (existing !== undefined) return { plan, shard: existing, added: false, newShard: false };
  const roomy = plan.shards.findIndex((markets) => markets.length < plan.maxPerShard);
  if (roomy >= 0) {
    const shards = plan.shards.map((markets, index) => (index === roomy ? [...markets, ticker] : markets));
    return { plan: { ...plan, shards }, shard: roomy, added: true, newShard: false };
  }
  const shards = [...plan.shards, [ticker]];
  return { plan: { ...plan, shards }, shard: shards.length - 1, added: true, newShard: true };
}

/** Removes a market; its shard keeps its slot (possibly empty) so shard indexes stay stable. */
export function removeMarket(
  plan: ShardPlan,
  ticker: string,
): { plan: ShardPlan; shard: number | undefined } {
  const shard = shardOf(plan, ticker);
  if (shard === undefined) return { plan, shard };
  const shards = plan.shards.map((markets, index) =>
    index === shard ? markets.filter((market) => market !== ticker) : markets,
  );
  return { plan: { ...plan, shards }, shard };
}

export function marketCount(plan: ShardPlan): number {
  return plan.shards.reduce((total, markets) => total + markets.length, 0);
}
