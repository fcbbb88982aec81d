/**
 * Series templates and the naming of events and markets, shaped like Kalshi's: hourly crypto
 * strikes with '.' in the ticker (KXBTCD-26NOV2117-T67749.99), sub-cent price structures on
 * some series, fractional sizes on others.
 */
import { Book } from "./book.js";
import { nearestIndex, type PriceLevelStructure, priceGrid } from "./price-grid.js";
import type { Prng } from "./prng.js";
import type { SimEvent, SimMarket, SimSeries } from "./world-types.js";

interface SeriesTemplate extends SimSeries {
  structure: PriceLevelStructure;
  fractional: boolean;
  strikeType: "greater" | "between";
  /** Base strike and spacing; strikes are base + k·step (+ offset, e.g. −0.01 for "…49.99"). */
  strikeBase: number;
  strikeStep: number;
  strikeOffset: number;
  strikeDecimals: number;
  marketsPerEvent: number;
  hourly: boolean;
  subject: string;
}

export const SERIES: SeriesTemplate[] = [
  {
    ticker: "KXBTCD",
    title: "Bitcoin price today",
    category: "Crypto",
    frequency: "hourly",
    tags: ["BTC"],
    feeType: "quadratic",
    structure: "tapered_deci_cent",
    fractional: true,
    strikeType: "greater",
    strikeBase: 67_000,
    strikeStep: 250,
    strikeOffset: -0.01,
    strikeDecimals: 2,
    marketsPerEvent: 6,
    hourly: true,
    subject: "Bitcoin",
  },
  {
    ticker: "KXETHD",
    title: "Ethereum price today",
    category: "Crypto",
    frequency: "hourly",
    tags: ["ETH"],
    feeType: "quadratic",
    structure: "deci_cent",
    fractional: true,
    strikeType: "greater",
    strikeBase: 1700,
    strikeStep: 20,
    strikeOffset: -0.01,
    strikeDecimals: 2,
    marketsPerEvent: 5,
    hourly: true,
    subject: "Ethereum",
  },
  {
    ticker: "KXFED",
    title: "Fed funds rate",
    category: "Economics",
    frequency: "custom",
    tags: ["Fed"],
    feeType: "quadratic",
    structure: "linear_cent",
    fractional: false,
    strikeType: "greater",
    strikeBase: 3.75,
    strikeStep: 0.25,
    strikeOffset: 0,
    strikeDecimals: 2,
    marketsPerEvent: 4,
    hourly: false,
    subject: "The upper bound of the federal funds rate",
  },
  {
    ticker: "KXHIGHNY",
    title: "Highest temperature in NYC today",
    category: "Climate and Weather",
    frequency: "daily",
    tags: ["Weather"],
    feeType: "quadratic_with_maker_fees",
    structure: "linear_cent",
    fractional: false,
    strikeType: "between",
    strikeBase: 47.5,
    strikeStep: 2,
    strikeOffset: 0,
    strikeDecimals: 1,
    marketsPerEvent: 5,
    hourly: false,
    subject: "The high temperature in NYC",
  },
  {
    ticker: "INXD",
    title: "S&P 500 daily range",
    category: "Financials",
    frequency: "daily",
    tags: ["SPX"],
    feeType: "quadratic",
    structure: "tapered_deci_cent",
    fractional: true,
    strikeType: "between",
    strikeBase: 6400,
    strikeStep: 25,
    strikeOffset: 0,
    strikeDecimals: 0,
    marketsPerEvent: 4,
    hourly: false,
    subject: "The S&P 500",
  },
];

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** "26NOV21" or, hourly, "26NOV2117" (UTC) — the date code inside Kalshi event tickers. */
export function dateCode(ms: number, hourly: boolean): string {
  const date = new Date(ms);
  const year = String(date.getUTCFullYear() % 100).padStart(2, "0");
  const day = String(date.getUTCDate()).padStart(2, "0");
  const hour = hourly ? String(date.getUTCHours()).padStart(2, "0") : "";
  return `${year}${MONTHS[date.getUTCMonth()]}${day}${hour}`;
}

export function createEvent(
  template: SeriesTemplate,
  strikeMs: number,
  nowMs: number,
  serial: number,
): SimEvent {
  // Several events can share a date code: the next ones add the minute (as 15-minute series do),
  // then a serial, so tickers stay unique.
  const minute = String(new Date(strikeMs).getUTCMinutes()).padStart(2, "0");
  const base = dateCode(strikeMs, true);
  const code =
    serial === 0
      ? dateCode(strikeMs, template.hourly)
      : serial === 1
        ? `${base}${minute}`
        : `${base}${minute}${serial}`;
  return {
    eventTicker: `${template.ticker}-${code}`,
    seriesTicker: template.ticker,
    title: `${template.subject} on ${new Date(strikeMs).toISOString().slice(0, 10)}`,
    subtitle: `${template.title} (${code})`,
    strikeDateMs: strikeMs,
    mutuallyExclusive: template.strikeType === "between",
    createdMs: nowMs,
    updatedMs: nowMs,
  };
}

export interface MarketTimes {
  nowMs: number;
  openMs: number;
  closeMs: number;
}

export function createMarket(
  template: SeriesTemplate,
  event: SimEvent,
  index: number,
  times: MarketTimes,
  prng: Prng,
): SimMarket {
  const strike = template.strikeBase + index * template.strikeStep + template.strikeOffset;
  const strikeText = strike.toFixed(template.strikeDecimals);
  const prefix = template.strikeType === "greater" ? "T" : "B";
  const grid = priceGrid(template.structure);
  const fair = 1500 + prng.int(0, 7000);
  const between = template.strikeType === "between";
  return {
    ticker: `${event.eventTicker}-${prefix}${strikeText}`,
    marketId: prng.uuid(),
    eventTicker: event.eventTicker,
    seriesTicker: template.ticker,
    title: `Will ${template.subject.toLowerCase()} be ${between ? "about" : "above"} ${strikeText}?`,
    subtitle: between ? `${strikeText} ± ${template.strikeStep / 2}` : `${strikeText} or above`,
    yesSubTitle: between ? `${strikeText} ± ${template.strikeStep / 2}` : `Above ${strikeText}`,
    noSubTitle: between ? `Not ${strikeText} ± ${template.strikeStep / 2}` : `Not above ${strikeText}`,
    strikeType: template.strikeType,
    floorStrike: between ? strike - template.strikeStep / 2 : strike,
    capStrike: between ? strike + template.strikeStep / 2 : undefined,
    structure: template.structure,
    fractional: template.fractional,
    status: times.openMs <= times.nowMs ? "active" : "initialized",
    createdMs: times.nowMs,
    openMs: times.openMs,
    closeMs: times.closeMs,
    expirationMs: times.closeMs + 600_000,
    determinedMs: undefined,
    settledMs: undefined,
    result: "",
    updatedMs: times.nowMs,
    book: new Book(),
    fairIndex: nearestIndex(grid, fair),
    lastPrice: undefined,
    previousPrice: undefined,
    lastTradeSize: 0,
    volume: 0,
    openInterest: 0,
  };
}

export type { SeriesTemplate };
