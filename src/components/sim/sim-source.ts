/**
 * The simulator's MarketDataSource: turns the generator's normalized messages into SourceEvents
 * encoded in the exchange's current wire format (which a format_switch fault can change), and
 * answers snapshot requests from the live books.
 */
import { encodeBody, encodeSnapshotBody, encodeTickerBody } from "../../core/kalshi/encode.js";
import type { MarketDataMessage, WireFormat } from "../../core/kalshi/types.js";
import { snapshotOf, tickerOf } from "./messages.js";
import type { DataChannel, MarketDataSource, SourceEvent } from "./source.js";
import type { World } from "./world.js";

const CHANNEL_OF: Partial<Record<MarketDataMessage["kind"], DataChannel>> = {
  orderbook_delta: "orderbook_delta",
  ticker: "ticker",
  trade: "trade",
  market_lifecycle_v2: "market_lifecycle_v2",
  event_lifecycle: "market_lifecycle_v2",
};

export class SimSource implements MarketDataSource {
  format: WireFormat;
  private readonly listeners = new Set<(event: SourceEvent) => void>();
  private readonly idToTicker = new Map<string, string>();

  constructor(
    private readonly world: World,
    format: WireFormat,
  ) {
    this.format = format;
  }

  hasMarket(ticker: string): boolean {
    return this.world.markets.has(ticker);
  }

  tickerOfMarketId(marketId: string): string | undefined {
    if (this.idToTicker.size !== this.world.markets.size) {
      for (const market of this.world.markets.values()) this.idToTicker.set(market.marketId, market.ticker);
    }
    return this.idToTicker.get(marketId);
  }

  marketTickers(): string[] {
    return this.world.activeMarkets().map((market) => market.ticker);
  }

  snapshotBody(ticker: string, useYesPrice: boolean): string | undefined {
    const market = this.world.markets.get(ticker);
    if (!market) return undefined;
    return encodeSnapshotBody(snapshotOf(market), { format: this.format, useYesPrice });
  }

  tickerBody(ticker: string): string | undefined {
    const market = this.world.markets.get(ticker);
    if (!market) return undefined;
    return encodeTickerBody(tickerOf(market, this.world.nowMs, this.world.clock), this.format);
  }

  onEvent(listener: (event: SourceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The generator's sink. Encodes lazily, once per variant, only when someone listens. */
  publish(message: MarketDataMessage): void {
    if (this.listeners.size === 0) return;
    const channel = CHANNEL_OF[message.kind];
    if (!channel) return;
    const event = new SimEvent(message, channel, this.format);
    for (const listener of this.listeners) listener(event);
  }
}

function tickerOfMessage(message: MarketDataMessage): string {
  if ("ticker" in message) return message.ticker;
  return "eventTicker" in message ? message.eventTicker : "";
}

/** One generated message as a SourceEvent; bodies are encoded on first use, once per variant. */
class SimEvent implements SourceEvent {
  readonly type: string;
  readonly ticker: string;
  private plain: string | undefined;
  private yesScale: string | undefined;

  constructor(
    private readonly message: MarketDataMessage,
    readonly channel: DataChannel,
    private readonly format: WireFormat,
  ) {
    this.type = message.kind;
    this.ticker = tickerOfMessage(message);
  }

  body(useYesPrice: boolean): string {
    const message = this.message;
    if (useYesPrice && message.kind === "orderbook_delta" && message.side === "no") {
      this.yesScale ??= encodeBody(message, { format: this.format, useYesPrice: true }) ?? "{}";
      return this.yesScale;
    }
    this.plain ??= encodeBody(message, { format: this.format }) ?? "{}";
    return this.plain;
  }
}
