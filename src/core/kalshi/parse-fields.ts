/**
 * Field readers for Kalshi frames. A FieldReader wraps one JSON object (the frame's `msg`),
 * reads fields by name with exact types, and remembers which keys it consumed, so whatever is
 * left over becomes the message's `extra` (unknown fields are kept, never dropped).
 * Every failure throws a ParseError that names the field (`msg.price_dollars: ...`);
 * parseFrame turns it into a result, so nothing escapes to callers.
 */
import type { Count, Price } from "../decimal.js";
import {
  centsPrice,
  dollarsPrice,
  fieldError,
  flexibleTime,
  fpCount,
  integerCount,
  isObject,
  type JsonObject,
} from "./parse-values.js";

export {
  centsPrice,
  describeValue,
  dollarsPrice,
  fieldError,
  flexibleTime,
  fpCount,
  integerCount,
  isObject,
  type JsonObject,
  rfc3339ToMs,
} from "./parse-values.js";

/** The envelope fields every message carries (`sid`, `seq`), read by parseFrame. */
export interface Envelope {
  sid: number | undefined;
  seq: number | undefined;
}

export class FieldReader {
  private readonly used = new Set<string>();

  constructor(
    readonly source: JsonObject,
    readonly path: string,
  ) {}

  /** True when the key is present with a value other than null/undefined. */
  has(key: string): boolean {
    const value = this.source[key];
    return value !== undefined && value !== null;
  }

  /** Marks keys as known (read elsewhere or deliberately superseded by another field). */
  known(...keys: string[]): void {
    for (const key of keys) this.used.add(key);
  }

  take(key: string): unknown {
    this.used.add(key);
    return this.source[key];
  }

  field(key: string): string {
    return `${this.path}.${key}`;
  }

  string(key: string): string {
    const value = this.take(key);
    if (typeof value !== "string") throw fieldError(this.field(key), "a string", value);
    return value;
  }

  /** A non-empty string: tickers and ids. */
  name(key: string): string {
    const value = this.string(key);
    if (value.length === 0) throw fieldError(this.field(key), "a non-empty string", value);
    return value;
  }

  optionalString(key: string): string | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") throw fieldError(this.field(key), "a string", value);
    return value;
  }

  optionalInteger(key: string): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      throw fieldError(this.field(key), "an integer", value);
    }
    return value;
  }

  /** A non-negative integer: sid, seq, command id. */
  optionalNatural(key: string): number | undefined {
    const value = this.optionalInteger(key);
    if (value !== undefined && value < 0) throw fieldError(this.field(key), "a non-negative integer", value);
    return value;
  }

  optionalNumber(key: string): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw fieldError(this.field(key), "a number", value);
    }
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") throw fieldError(this.field(key), "a boolean", value);
    return value;
  }

  optionalObject(key: string): JsonObject | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) throw fieldError(this.field(key), "an object", value);
    return value;
  }

  optionalArray(key: string): unknown[] | undefined {
    const value = this.take(key);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw fieldError(this.field(key), "an array", value);
    return value;
  }

  /** One of a fixed set of strings. */
  optionalEnum<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.optionalString(key);
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value)) {
      throw fieldError(this.field(key), allowed.join(" | "), value);
    }
    return value as T;
  }

  /**
   * A price from the current `*_dollars` string, else the legacy integer-cents field.
   * `""` (never-traded markets) reads as undefined. Both keys are marked known.
   */
  optionalPrice(dollarsKey: string, centsKey?: string): Price | undefined {
    if (centsKey !== undefined) this.known(centsKey);
    if (this.has(dollarsKey)) {
      const text = this.take(dollarsKey);
      if (text === "") return undefined;
      return dollarsPrice(text, this.field(dollarsKey));
    }
    this.known(dollarsKey);
    if (centsKey === undefined || !this.has(centsKey)) return undefined;
    return centsPrice(this.take(centsKey), this.field(centsKey));
  }

  price(dollarsKey: string, centsKey?: string): Price {
    const price = this.optionalPrice(dollarsKey, centsKey);
    if (price === undefined) {
      const names = centsKey === undefined ? dollarsKey : `${dollarsKey} (or ${centsKey})`;
      throw fieldError(`${this.path}.${names}`, "a price", this.source[dollarsKey]);
    }
    return price;
  }

  /** A count from the current `*_fp` string, else the legacy integer field. */
  optionalCount(fpKey: string, integerKey?: string): Count | undefined {
    if (integerKey !== undefined) this.known(integerKey);
    if (this.has(fpKey)) return fpCount(this.take(fpKey), this.field(fpKey));
    this.known(fpKey);
    if (integerKey === undefined || !this.has(integerKey)) return undefined;
    return integerCount(this.take(integerKey), this.field(integerKey));
  }

  count(fpKey: string, integerKey?: string): Count {
    const count = this.optionalCount(fpKey, integerKey);
    if (count === undefined) {
      const names = integerKey === undefined ? fpKey : `${fpKey} (or ${integerKey})`;
      throw fieldError(`${this.path}.${names}`, "a count", undefined);
    }
    return count;
  }

  /** Unix seconds (an integer field such as open_ts) as Unix ms. */
  optionalSecondsAsMs(key: string): number | undefined {
    const seconds = this.optionalInteger(key);
    return seconds === undefined ? undefined : seconds * 1000;
  }

  /** A time field (RFC3339 string or Unix seconds) as Unix ms; "" and null read as absent. */
  optionalTime(key: string): number | undefined {
    const value = this.take(key);
    if (value === undefined || value === null || value === "") return undefined;
    return flexibleTime(value, this.field(key));
  }

  /**
   * The message time in Unix ms: `ts_ms`, else `ts` (integer seconds or an RFC3339 string),
   * else the named RFC3339 fallback fields (`time`, `created_time`). All are marked known.
   */
  optionalTimestampMs(...fallbacks: string[]): number | undefined {
    this.known("ts_ms", "ts", ...fallbacks);
    if (this.has("ts_ms")) return this.optionalInteger("ts_ms");
    if (this.has("ts")) return flexibleTime(this.take("ts"), this.field("ts"));
    for (const key of fallbacks) {
      if (this.has(key)) return flexibleTime(this.take(key), this.field(key));
    }
    return undefined;
  }

  /** Keys not consumed by the parser, or undefined when there are none. */
  extra(): JsonObject | undefined {
    let extra: JsonObject | undefined;
    for (const key of Object.keys(this.source)) {
      if (this.used.has(key)) continue;
      extra ??= {};
      extra[key] = this.source[key];
    }
    return extra;
  }
}

/** Attaches the reader's leftover keys as `extra` (only when there are some). */
export function withExtra<T extends { extra?: Record<string, unknown> }>(message: T, reader: FieldReader): T {
  const extra = reader.extra();
  if (extra !== undefined) message.extra = extra;
  return message;
}
