/**
 * One connection's subscriptions: at most one per channel (since 2025-09-25 Kalshi merges a
 * repeated subscribe into the existing subscription), each with its sid and its seq counter.
 */
export interface Subscription {
  sid: number;
  channel: string;
  /** No market spec: every market (ticker, trade) or the channel has no filter (lifecycle). */
  all: boolean;
  tickers: Set<string>;
  /** Last seq sent on this sid (snapshots, deltas and the ok/unsubscribed acks). */
  seq: number;
  useYesPrice: boolean;
  skipTickerAck: boolean;
}

/** Channels whose data frames carry `seq`. */
export const SEQUENCED_CHANNELS = new Set(["orderbook_delta"]);
/** Channels that never take a market filter. */
export const UNFILTERED_CHANNELS = new Set([
  "market_lifecycle_v2",
  "multivariate",
  "multivariate_market_lifecycle",
  "communications",
  "order_group_updates",
]);

export class SubscriptionTable {
  private nextSid = 1;
  private readonly byChannel = new Map<string, Subscription>();
  private readonly bySid = new Map<number, Subscription>();

  forChannel(channel: string): Subscription | undefined {
    return this.byChannel.get(channel);
  }

  forSid(sid: number): Subscription | undefined {
    return this.bySid.get(sid);
  }

  all(): Subscription[] {
    return [...this.bySid.values()];
  }

  create(
    channel: string,
    tickers: string[] | undefined,
    flags: { useYesPrice: boolean; skipTickerAck: boolean },
  ): Subscription {
    const all = tickers === undefined || UNFILTERED_CHANNELS.has(channel);
    const subscription: Subscription = {
      sid: this.nextSid++,
      channel,
      all,
      tickers: new Set(all ? [] : tickers),
      seq: 0,
      ...flags,
    };
    this.byChannel.set(channel, subscription);
    this.bySid.set(subscription.sid, subscription);
    return subscription;
  }

  remove(subscription: Subscription): void {
    this.byChannel.delete(subscription.channel);
    this.bySid.delete(subscription.sid);
  }

  /** Markets the subscription covers after adding `tickers` (all when undefined). */
  static add(subscription: Subscription, tickers: string[] | undefined): string[] {
    if (UNFILTERED_CHANNELS.has(subscription.channel)) return [];
    if (tickers === undefined) {
      subscription.all = true;
      subscription.tickers.clear();
      return [];
    }
    const added = subscription.all ? [] : tickers.filter((ticker) => !subscription.tickers.has(ticker));
    for (const ticker of added) subscription.tickers.add(ticker);
    return added;
  }

  static covers(subscription: Subscription, ticker: string): boolean {
    return subscription.all || subscription.tickers.has(ticker);
  }
}
