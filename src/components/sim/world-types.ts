/** The simulated exchange's state: series → events → markets, each market with its book. */
import type { Count, Price } from "../../core/decimal.js";
import type { Side } from "../../core/kalshi/types.js";
import type { Book } from "./book.js";
import type { PriceLevelStructure } from "./price-grid.js";

/** Kalshi's market status vocabulary in responses (PROTOCOL.md §5.1). */
export type MarketStatus = "initialized" | "active" | "closed" | "determined" | "finalized";

export interface SimSeries {
  ticker: string;
  title: string;
  category: string;
  frequency: string;
  tags: string[];
  feeType: string;
}

export interface SimEvent {
  eventTicker: string;
  seriesTicker: string;
  title: string;
  subtitle: string;
  strikeDateMs: number;
  mutuallyExclusive: boolean;
  createdMs: number;
  updatedMs: number;
}

export interface SimMarket {
  ticker: string;
  marketId: string;
  eventTicker: string;
  seriesTicker: string;
  title: string;
  subtitle: string;
  yesSubTitle: string;
  noSubTitle: string;
  strikeType: "greater" | "between";
  floorStrike: number | undefined;
  capStrike: number | undefined;
  structure: PriceLevelStructure;
  /** Sizes with cents of a contract ("31.54") rather than whole contracts. */
  fractional: boolean;
  status: MarketStatus;
  createdMs: number;
  openMs: number;
  closeMs: number;
  expirationMs: number;
  determinedMs: number | undefined;
  settledMs: number | undefined;
  result: "" | "yes" | "no";
  updatedMs: number;
  book: Book;
  /** Index into the price grid around which quotes are made. */
  fairIndex: number;
  lastPrice: Price | undefined;
  previousPrice: Price | undefined;
  lastTradeSize: Count;
  volume: Count;
  openInterest: Count;
}

export interface SimTrade {
  /** Position in the exchange's trade history, 1-based; REST cursors use it. */
  number: number;
  tradeId: string;
  ticker: string;
  yesPrice: Price;
  count: Count;
  takerSide: Side;
  tsMs: number;
}
