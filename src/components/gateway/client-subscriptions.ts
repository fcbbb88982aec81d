/**
 * A client's subscriptions: symbol → channels, kept in step with the fan-out. Subscribing checks
 * the symbols (unknown ones refused with suggestions) and the per-connection limit, then sends
 * the latest state of each new symbol: its book (or a status saying why there is none) and its
 * ticker state.
 */
import type { BookStore } from "./book-store.js";
import type { ClientCommand } from "./client-commands.js";
import type { ClientLimits } from "./config.js";
import { CLIENT_CHANNELS, type ClientChannel, type ErrorCode, type errorEvent } from "./events.js";
import type { Fanout, Subscriber } from "./fanout.js";
import { unknownSymbols } from "./symbol-suggestions.js";
import { type QueueItem, queueItem } from "./ws-frame.js";

/** The session the subscriptions belong to: it receives events and reports refusals. */
export interface SubscribingClient extends Subscriber {
  sendError(code: ErrorCode, message: string, extra?: Parameters<typeof errorEvent>[2]): void;
}

export interface SubscriptionDeps {
  store: BookStore;
  fanout: Fanout;
  limits: ClientLimits;
}

/** Latest state as one event: a full book, else a status saying why not; the ticker state. */
export function latestState(
  store: BookStore,
  ticker: string,
  type: "orderbook" | "ticker",
): QueueItem | undefined {
  if (type === "ticker") {
    const text = store.tickerText(ticker);
    return text === undefined ? undefined : queueItem(text, "ticker");
  }
  const book = store.snapshotText(ticker);
  if (book !== undefined) return queueItem(book, "orderbook");
  const status = store.statusText(ticker);
  return status === undefined ? undefined : queueItem(status, "status");
}

export class ClientSubscriptions {
  private readonly bySymbol = new Map<string, ReadonlySet<ClientChannel>>();

  constructor(
    private readonly client: SubscribingClient,
    private readonly deps: SubscriptionDeps,
  ) {}

  get size(): number {
    return this.bySymbol.size;
  }

  subscribe(command: ClientCommand): void {
    const { markets } = this.deps.store;
    const known = command.symbols.filter((symbol) => markets.has(symbol));
    const unknown = command.symbols.filter((symbol) => !markets.has(symbol));
    if (unknown.length > 0) this.refuseUnknown(unknown);
    const added = known.filter((symbol) => !this.bySymbol.has(symbol)).length;
    const max = this.deps.limits.maxSymbols;
    if (this.bySymbol.size + added > max) {
      this.client.sendError(
        "too_many_symbols",
        `at most ${max} symbols per connection; you have ${this.bySymbol.size} and asked for ${added} more`,
        { symbols: known },
      );
      return;
    }
    const channels: ReadonlySet<ClientChannel> = new Set(command.channels ?? CLIENT_CHANNELS);
    for (const symbol of known) {
      this.bySymbol.set(symbol, channels);
      this.deps.fanout.add(symbol, this.client, channels);
      this.sendInitial(symbol, channels);
    }
  }

  /** Drops one symbol; false if it was not subscribed. */
  remove(symbol: string): boolean {
    if (!this.bySymbol.delete(symbol)) return false;
    this.deps.fanout.remove(symbol, this.client);
    return true;
  }

  clear(): void {
    for (const symbol of this.bySymbol.keys()) this.deps.fanout.remove(symbol, this.client);
    this.bySymbol.clear();
  }

  private refuseUnknown(unknown: string[]): void {
    const { message, suggestions } = unknownSymbols(unknown, [...this.deps.store.markets.keys()]);
    this.client.sendError("unknown_symbol", message, { symbols: unknown, suggestions });
  }

  /** On subscribe: the book (or why there is none), then the ticker state. */
  private sendInitial(symbol: string, channels: ReadonlySet<ClientChannel>): void {
    if (channels.has("orderbook")) {
      const item = latestState(this.deps.store, symbol, "orderbook");
      if (item) this.client.deliver(item, symbol);
    }
    if (channels.has("ticker")) {
      const item = latestState(this.deps.store, symbol, "ticker");
      if (item) this.client.deliver(item, symbol);
    }
  }
}
