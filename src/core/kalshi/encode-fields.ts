/**
 * Field formatting shared by the Kalshi frame encoders: exact decimal strings, legacy integer
 * cents/counts, and Kalshi's timestamp spellings. Pure; times are passed in as Unix ms.
 */
import { type Count, formatCount, formatFixed, formatPrice, type Price } from "../decimal.js";
import type { Level } from "./types.js";

/** Every price from $0 to $1 preformatted: frames format several prices each, on the hot path. */
const DOLLAR_TEXT: string[] = Array.from({ length: 10_001 }, (_, units) => formatPrice(units));

/** Current `_dollars` string: always 4 dp ("0.4500"). */
export function dollars4(price: Price): string {
  return (Number.isInteger(price) && DOLLAR_TEXT[price]) || formatPrice(price);
}

const CENTS_TEXT: string[] = Array.from({ length: 100 }, (_, cents) => String(cents).padStart(2, "0"));

/** `_fp` count string: always 2 dp ("136.00"). */
export function countFp(count: Count): string {
  if (!Number.isSafeInteger(count) || count < 0) return formatCount(count);
  return `${Math.floor(count / 100)}.${CENTS_TEXT[count % 100]}`;
}

/** Legacy `_dollars` string: 3 dp when exact ("0.960"), else 4 dp — the mix Kalshi sent. */
export function dollarsLegacy(price: Price): string {
  return price % 10 === 0 ? formatFixed(price / 10, 3) : formatFixed(price, 4);
}

/** Legacy integer cents (sub-cent prices round to the nearest cent). */
export function cents(price: Price): number {
  return Math.round(price / 100);
}

/** Legacy integer contracts (fractional counts truncate toward zero). */
export function wholeContracts(count: Count): number {
  return Math.trunc(count / 100);
}

/** Whole dollars of `count × price` (Kalshi's dollar_volume / dollar_open_interest). */
export function wholeDollars(count: Count, price: Price): number {
  return Math.floor((count * price) / 1_000_000);
}

let cachedSecond = Number.NaN;
let cachedSecondText = "";

/** RFC3339 without fractional seconds, as Kalshi writes `ts` on orderbook deltas. */
export function rfc3339Seconds(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedSecondText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  }
  return cachedSecondText;
}

let cachedMs = Number.NaN;
let cachedMsText = "";

/** RFC3339 with microseconds ("2026-07-19T15:45:00.544125Z"), as in ticker `time`. */
export function rfc3339Micros(ms: number): string {
  if (ms !== cachedMs) {
    cachedMs = ms;
    cachedMsText = `${new Date(ms).toISOString().slice(0, 23)}000Z`;
  }
  return cachedMsText;
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** Levels as `[["0.0800","300.00"], ...]`. */
export function levelsFp(levels: Level[]): [string, string][] {
  return levels.map(([price, count]) => [dollars4(price), countFp(count)]);
}
