/**
 * The subscriptions of one live connection (sids are per connection, so one of these per
 * connection): subscribe everything at connect, add/remove markets live, and re-snapshot a
 * subscription after a seq gap (`get_snapshot`, else unsubscribe + resubscribe).
 * The market set is the shard's, shared by reference: markets Kalshi rejects are removed from it.
 */
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";
import type { WsSession } from "./ports.js";
import { type ChannelPlan, type Subscription, subscribeChannel } from "./subscriptions.js";

export interface SubscriptionHooks {
  logger: Logger;
  commandFailed(command: string, error: unknown): void;
  /** A re-subscribe failed: the connection can no longer be trusted. */
  broken(): void;
}

export class ConnectionSubscriptions {
  private readonly subs = new Map<number, Subscription>();
  private readonly resnapshotting = new Set<number>();

  constructor(
    private readonly session: WsSession,
    private readonly markets: Set<string>,
    private readonly channels: ChannelPlan,
    private readonly hooks: SubscriptionHooks,
  ) {}

  get(sid: number): Subscription | undefined {
    return this.subs.get(sid);
  }

  /** Firehose channels (only on the shard that carries them), then the per-market channels. */
  async subscribeAll(withFirehose: boolean): Promise<void> {
    if (withFirehose) for (const channel of this.channels.firehose) await this.subscribe(channel, undefined);
    if (this.markets.size === 0) return;
    for (const channel of this.channels.perMarket) await this.subscribe(channel, [...this.markets]);
  }

  /** Adds markets (already in the shard's set) to every per-market subscription. */
  async add(fresh: string[]): Promise<void> {
    for (const channel of this.channels.perMarket) {
      const sub = [...this.subs.values()].find((entry) => entry.channel === channel);
      try {
        if (sub) {
          await this.session.updateSubscription({
            sid: sub.sid,
            action: "add_markets",
            market_tickers: fresh,
          });
          sub.tickers = [...(sub.tickers ?? []), ...fresh];
        } else {
          await this.subscribe(channel, [...this.markets]);
        }
      } catch (error) {
        this.hooks.commandFailed("add_markets", error);
      }
    }
  }

  /** Removes markets from every per-market subscription (unsubscribing one left empty). */
  async remove(gone: string[]): Promise<void> {
    for (const sub of [...this.subs.values()]) {
      if (!sub.tickers) continue;
      const left = sub.tickers.filter((ticker) => !gone.includes(ticker));
      if (left.length === sub.tickers.length) continue;
      try {
        if (left.length === 0) {
          await this.session.unsubscribe([sub.sid]);
          this.subs.delete(sub.sid);
        } else {
          await this.session.updateSubscription({
            sid: sub.sid,
            action: "delete_markets",
            market_tickers: gone,
          });
          sub.tickers = left;
        }
      } catch (error) {
        this.hooks.commandFailed("delete_markets", error);
      }
    }
  }

  /** Fresh order books for an orderbook subscription after a gap; one request per sid at a time. */
  async resnapshot(sid: number): Promise<void> {
    const sub = this.subs.get(sid);
    if (sub?.channel !== "orderbook_delta" || !sub.tickers || this.resnapshotting.has(sid)) return;
    this.resnapshotting.add(sid);
    try {
      await this.session.updateSubscription({ sid, action: "get_snapshot", market_tickers: sub.tickers });
    } catch (error) {
      this.hooks.logger.warn("get_snapshot failed, resubscribing", { sid, error: errorMessage(error) });
      await this.resubscribe(sub);
    } finally {
      this.resnapshotting.delete(sid);
    }
  }

  private async resubscribe(sub: Subscription): Promise<void> {
    try {
      await this.session.unsubscribe([sub.sid]);
      this.subs.delete(sub.sid);
      await this.subscribe(sub.channel, [...this.markets]);
    } catch (error) {
      this.hooks.commandFailed("resubscribe", error);
      this.hooks.broken();
    }
  }

  private async subscribe(channel: string, tickers: string[] | undefined): Promise<void> {
    const { subscription, rejected } = await subscribeChannel(
      this.session,
      channel,
      tickers,
      this.hooks.logger,
    );
    for (const ticker of rejected) this.markets.delete(ticker);
    if (subscription) this.subs.set(subscription.sid, subscription);
  }
}
