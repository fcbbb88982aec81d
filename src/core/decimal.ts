/**
 * Exact fixed-point decimals for prices and sizes.
 *
 * Kalshi sends prices as dollar strings with up to 4 decimals ("0.4500", "0.960") and counts as
 * strings with 2 decimals ("136.00", "2020.47"); before 2026 it sent integer cents and integer
 * counts. ssmd keeps both as integers of a fixed unit, so arithmetic is exact:
 *   Price = integer number of 1e-4 dollars   ("0.4500" → 4500, 45 cents → 4500)
 *   Count = integer number of 1e-2 contracts ("136.00" → 13600, 136 → 13600)
 * Integers up to 2^53 are exact in a JS number, far beyond any real price or volume.
 * Convert to floating numbers only at the edge (JSON for clients), with toDollars/toContracts.
 */
export type Price = number;
export type Count = number;

export const PRICE_SCALE = 4;
export const COUNT_SCALE = 2;
export const PRICE_UNITS_PER_DOLLAR = 10_000;
export const COUNT_UNITS_PER_CONTRACT = 100;
export const ONE_DOLLAR: Price = PRICE_UNITS_PER_DOLLAR;

const POWERS = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/**
 * Parses a decimal string into an integer of 10^-scale units. Returns undefined when the text
 * is not a plain decimal or has non-zero digits beyond `scale` (which could not be exact).
 * Accepts an optional sign, optional integer part ("0.5", ".5"), and trailing zeros beyond scale.
 */
export function parseFixed(text: string, scale: number): number | undefined {
  const length = text.length;
  if (length === 0 || length > 24) return undefined;
  let index = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    index = 1;
  }
  let units = 0;
  let digits = 0;
  let fraction = -1;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46 /* . */) {
      if (fraction >= 0) return undefined;
      fraction = 0;
      continue;
    }
    if (code < 48 || code > 57) return undefined;
    digits++;
    if (fraction >= 0) {
      fraction++;
      if (fraction > scale) {
        if (code !== 48) return undefined;
        continue;
      }
    }
    units = units * 10 + (code - 48);
  }
  if (digits === 0) return undefined;
  const used = fraction < 0 ? 0 : Math.min(fraction, scale);
  const value = units * POWERS[scale - used]!;
  if (!Number.isSafeInteger(value)) return undefined;
  return negative ? -value : value;
}

/** Formats an integer of 10^-scale units as a decimal string with exactly `scale` decimals. */
export function formatFixed(units: number, scale: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(units)).padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  const text = scale === 0 ? whole : `${whole}.${fraction}`;
  return negative ? `-${text}` : text;
}

export function priceFromDollars(text: string): Price | undefined {
  return parseFixed(text, PRICE_SCALE);
}

export function priceFromCents(cents: number): Price | undefined {
  if (!Number.isInteger(cents)) return undefined;
  return cents * 100;
}

export function countFromFp(text: string): Count | undefined {
  return parseFixed(text, COUNT_SCALE);
}

export function countFromInteger(count: number): Count | undefined {
  if (!Number.isInteger(count)) return undefined;
  return count * COUNT_UNITS_PER_CONTRACT;
}

/** "0.4500": the canonical 4-decimal dollar string. */
export function formatPrice(price: Price): string {
  return formatFixed(price, PRICE_SCALE);
}

/** "136.00": the canonical 2-decimal count string. */
export function formatCount(count: Count): string {
  return formatFixed(count, COUNT_SCALE);
}

/** Edge conversion for JSON clients: dollars as a number (0.45). */
export function toDollars(price: Price): number {
  return price / PRICE_UNITS_PER_DOLLAR;
}

/** Edge conversion for JSON clients: contracts as a number (136.5). */
export function toContracts(count: Count): number {
  return count / COUNT_UNITS_PER_CONTRACT;
}

/** The other side's price: a YES bid at p is a NO ask at 1 − p. */
export function complement(price: Price): Price {
  return ONE_DOLLAR - price;
}
