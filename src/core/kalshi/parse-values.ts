/**
 * Converters from one raw JSON value to an exact ssmd value (Price, Count, Unix ms), each throwing
 * a ParseError that names the field path. Used by FieldReader and by the level/array readers.
 */
import {
  type Count,
  countFromFp,
  countFromInteger,
  type Price,
  priceFromCents,
  priceFromDollars,
} from "../decimal.js";
import { ParseError } from "../errors.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (field missing)";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? "a long string" : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

export function fieldError(path: string, expected: string, value: unknown): ParseError {
  return new ParseError(`${path}: expected ${expected}, got ${describeValue(value)}`);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC3339 text → Unix ms, or undefined when the text is not RFC3339. */
export function rfc3339ToMs(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function dollarsPrice(value: unknown, path: string): Price {
  const price = typeof value === "string" ? priceFromDollars(value) : undefined;
  if (price === undefined) throw fieldError(path, "a dollar string with at most 4 decimals", value);
  return price;
}

export function centsPrice(value: unknown, path: string): Price {
  const price = typeof value === "number" ? priceFromCents(value) : undefined;
  if (price === undefined) throw fieldError(path, "integer cents", value);
  return price;
}

export function fpCount(value: unknown, path: string): Count {
  const count = typeof value === "string" ? countFromFp(value) : undefined;
  if (count === undefined) throw fieldError(path, "a count string with at most 2 decimals", value);
  return count;
}

export function integerCount(value: unknown, path: string): Count {
  const count = typeof value === "number" ? countFromInteger(value) : undefined;
  if (count === undefined) throw fieldError(path, "an integer count", value);
  return count;
}

/** Integer seconds, or an RFC3339 string (orderbook_delta's deprecated `ts`), as Unix ms. */
export function flexibleTime(value: unknown, path: string): number {
  if (typeof value === "number" && Number.isSafeInteger(value)) return value * 1000;
  if (typeof value === "string") {
    const ms = rfc3339ToMs(value);
    if (ms !== undefined) return ms;
  }
  throw fieldError(path, "Unix seconds or an RFC3339 time", value);
}
