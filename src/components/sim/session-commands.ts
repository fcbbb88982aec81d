/**
 * What each command does to a session (PROTOCOL.md §2): replies, snapshots and errors with
 * Kalshi's shapes and codes. Returns the CommandError to answer with, or undefined on success.
 */

import { wrapFrame } from "../../core/kalshi/encode.js";
import {
  encodeListOk,
  encodeSubscribed,
  encodeUnsubscribed,
  encodeUpdateOk,
} from "../../core/kalshi/encode-replies.js";
import { KalshiErrorCode as Code } from "../../core/kalshi/types.js";
import {
  type Command,
  CommandError,
  PRIVATE_CHANNELS,
  type SubscribeCommand,
  type UnsubscribeCommand,
  type UpdateCommand,
} from "./commands.js";
import { type Subscription, SubscriptionTable, UNFILTERED_CHANNELS } from "./subscriptions.js";
import type { KalshiWsSession } from "./ws-session.js";

export function runCommand(session: KalshiWsSession, command: Command): CommandError | undefined {
  switch (command.cmd) {
    case "subscribe":
      return subscribe(session, command);
    case "unsubscribe":
      return unsubscribe(session, command);
    case "update_subscription":
      return update(session, command);
    case "list_subscriptions": {
      const list = session.subscriptions.all().map(({ channel, sid }) => ({ channel, sid }));
      session.send(encodeListOk(command.id, list));
      return undefined;
    }
  }
}

/** Market ids → tickers, then every ticker must exist (16). */
function resolveMarkets(
  session: KalshiWsSession,
  id: number | undefined,
  tickers: string[] | undefined,
  marketIds: string[] | undefined,
): string[] | undefined | CommandError {
  const { source } = session.options;
  const resolved = [...(tickers ?? [])];
  for (const marketId of marketIds ?? []) {
    const ticker = source.tickerOfMarketId(marketId);
    if (ticker === undefined) return new CommandError(id, Code.MarketNotFound);
    resolved.push(ticker);
  }
  for (const ticker of resolved) {
    if (!source.hasMarket(ticker)) return new CommandError(id, Code.MarketNotFound, ticker);
  }
  return tickers === undefined && marketIds === undefined ? undefined : [...new Set(resolved)];
}

function subscribe(session: KalshiWsSession, command: SubscribeCommand): CommandError | undefined {
  const { id } = command;
  if (!session.options.authenticated && command.channels.some((channel) => PRIVATE_CHANNELS.has(channel))) {
    return new CommandError(id, Code.AuthRequired);
  }
  const tickers = resolveMarkets(session, id, command.tickers, command.marketIds);
  if (tickers instanceof CommandError) return tickers;
  const limit = session.options.limits.maxMarketsPerSubscription;
  for (const channel of command.channels) {
    const existing = session.subscriptions.forChannel(channel)?.tickers ?? new Set<string>();
    const fresh = tickers?.filter((ticker) => !existing.has(ticker)).length ?? 0;
    if (tickers && !UNFILTERED_CHANNELS.has(channel) && existing.size + fresh > limit) {
      return new CommandError(id, Code.MarketLimitExceeded);
    }
  }
  for (const channel of command.channels) {
    const flags = { useYesPrice: command.useYesPrice, skipTickerAck: command.skipTickerAck };
    let subscription = session.subscriptions.forChannel(channel);
    let added: string[];
    if (subscription) {
      added = SubscriptionTable.add(subscription, tickers);
    } else {
      subscription = session.subscriptions.create(channel, tickers, flags);
      added = tickers ?? [];
    }
    session.send(encodeSubscribed(id, channel, subscription.sid));
    if (channel === "orderbook_delta") sendSnapshots(session, subscription, added);
    if (channel === "ticker" && command.sendInitialSnapshot) {
      sendTickerSnapshots(session, subscription, tickers ?? session.options.source.marketTickers());
    }
  }
  return undefined;
}

function sendSnapshots(session: KalshiWsSession, subscription: Subscription, tickers: string[]): void {
  for (const ticker of tickers) {
    const body = session.options.source.snapshotBody(ticker, subscription.useYesPrice);
    if (body === undefined) continue;
    session.sendSequenced(
      wrapFrame("orderbook_snapshot", subscription.sid, session.nextSeq(subscription), body),
    );
  }
}

function sendTickerSnapshots(session: KalshiWsSession, subscription: Subscription, tickers: string[]): void {
  for (const ticker of tickers) {
    const body = session.options.source.tickerBody(ticker);
    if (body !== undefined) session.send(wrapFrame("ticker", subscription.sid, undefined, body));
  }
}

function unsubscribe(session: KalshiWsSession, command: UnsubscribeCommand): CommandError | undefined {
  let failure: CommandError | undefined;
  for (const sid of command.sids) {
    const subscription = session.subscriptions.forSid(sid);
    if (!subscription) {
      failure ??= new CommandError(command.id, Code.UnknownSid);
      continue;
    }
    session.subscriptions.remove(subscription);
    session.send(encodeUnsubscribed(command.id, sid, session.nextSeq(subscription)));
  }
  return failure;
}

function update(session: KalshiWsSession, command: UpdateCommand): CommandError | undefined {
  const { id } = command;
  const subscription = session.subscriptions.forSid(command.sid);
  if (!subscription) return new CommandError(id, Code.UnknownSid);
  if (UNFILTERED_CHANNELS.has(subscription.channel)) return new CommandError(id, Code.UnsupportedAction);
  if (command.action === "get_snapshot" && subscription.channel !== "orderbook_delta") {
    return new CommandError(id, Code.UnsupportedAction);
  }
  const tickers = resolveMarkets(session, id, command.tickers, command.marketIds) ?? [];
  if (tickers instanceof CommandError) return tickers;
  if (command.action === "add_markets") {
    const fresh = tickers.filter((ticker) => !subscription.tickers.has(ticker));
    if (
      !subscription.all &&
      subscription.tickers.size + fresh.length > session.options.limits.maxMarketsPerSubscription
    ) {
      return new CommandError(id, Code.MarketLimitExceeded);
    }
    const added = SubscriptionTable.add(subscription, tickers);
    sendOk(session, subscription, id);
    if (subscription.channel === "orderbook_delta") sendSnapshots(session, subscription, added);
    if (subscription.channel === "ticker" && command.sendInitialSnapshot)
      sendTickerSnapshots(session, subscription, tickers);
    return undefined;
  }
  if (command.action === "delete_markets") {
    for (const ticker of tickers) subscription.tickers.delete(ticker);
    sendOk(session, subscription, id);
    return undefined;
  }
  sendOk(session, subscription, id);
  sendSnapshots(session, subscription, tickers);
  return undefined;
}

function sendOk(session: KalshiWsSession, subscription: Subscription, id: number | undefined): void {
  const tickers = subscription.skipTickerAck ? undefined : [...subscription.tickers];
  session.sendSequenced(encodeUpdateOk(id, subscription.sid, session.nextSeq(subscription), tickers));
}
