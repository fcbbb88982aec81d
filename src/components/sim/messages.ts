/**
 * Normalized messages built from a market's state. Every ticker message is derived from the
 * book and trade tallies at that instant, so it always agrees with the book.
 */
import { type Count, complement, type Price } from "../../core/decimal.js";
import type {
  MarketLifecycle,
  OrderbookDelta,
  OrderbookSnapshot,
  Side,
  TickerUpdate,
  Trade,
} from "../../core/kalshi/types.js";
import type { SimMarket, SimTrade } from "./world-types.js";

export function snapshotOf(market: SimMarket): OrderbookSnapshot {
  return {
    sid: undefined,
    seq: undefined,
    kind: "orderbook_snapshot",
    ticker: market.ticker,
    marketId: market.marketId,
    yes: market.book.sorted("yes"),
    no: market.book.sorted("no"),
  };
}

export function deltaOf(
  market: SimMarket,
  side: Side,
  price: Price,
  delta: Count,
  tsMs: number,
): OrderbookDelta {
  return {
    sid: undefined,
    seq: undefined,
    kind: "orderbook_delta",
    ticker: market.ticker,
    marketId: market.marketId,
    side,
    price,
    delta,
    tsMs,
    clientOrderId: undefined,
  };
}

export function tickerOf(market: SimMarket, tsMs: number, clock: number): TickerUpdate {
  const top = market.book.top();
  return {
    sid: undefined,
    seq: undefined,
    kind: "ticker",
    ticker: market.ticker,
    marketId: market.marketId,
    price: market.lastPrice,
    yesBid: top.yesBid ?? 0,
    yesAsk: top.noBid === undefined ? 10_000 : complement(top.noBid),
    yesBidSize: top.yesBidSize,
    yesAskSize: top.noBidSize,
    lastTradeSize: market.lastTradeSize,
    volume: market.volume,
    openInterest: market.openInterest,
    dollarVolume: undefined,
    dollarOpenInterest: undefined,
    tsMs,
    clock,
  };
}

export function tradeOf(trade: SimTrade): Trade {
  return {
    sid: undefined,
    seq: undefined,
    kind: "trade",
    tradeId: trade.tradeId,
    ticker: trade.ticker,
    yesPrice: trade.yesPrice,
    noPrice: complement(trade.yesPrice),
    count: trade.count,
    takerSide: trade.takerSide,
    takerBookSide: trade.takerSide === "yes" ? "bid" : "ask",
    isBlockTrade: false,
    tsMs: trade.tsMs,
  };
}

type LifecycleFields = Partial<Omit<MarketLifecycle, "kind" | "ticker" | "eventType" | "sid" | "seq">>;

export function lifecycleOf(
  market: SimMarket,
  eventType: string,
  fields: LifecycleFields = {},
): MarketLifecycle {
  return {
    sid: undefined,
    seq: undefined,
    kind: "market_lifecycle_v2",
    ticker: market.ticker,
    eventType,
    openTs: undefined,
    closeTs: undefined,
    result: undefined,
    determinationTs: undefined,
    settlementValue: undefined,
    settledTs: undefined,
    isDeactivated: undefined,
    priceLevelStructure: undefined,
    additionalMetadata: undefined,
    ...fields,
  };
}
