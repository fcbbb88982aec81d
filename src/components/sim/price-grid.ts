/**
 * Kalshi price level structures (PROTOCOL.md §3.9) as sorted grids of valid prices, in Price
 * units (1e-4 $). All three are symmetric around 0.50, so 1 − p of a valid price is valid too.
 */
import { formatPrice, type Price } from "../../core/decimal.js";

export type PriceLevelStructure = "linear_cent" | "deci_cent" | "tapered_deci_cent";

export interface PriceRange {
  start: Price;
  end: Price;
  step: Price;
}

const RANGES: Record<PriceLevelStructure, PriceRange[]> = {
  linear_cent: [{ start: 0, end: 10_000, step: 100 }],
  deci_cent: [{ start: 0, end: 10_000, step: 10 }],
  tapered_deci_cent: [
    { start: 0, end: 1000, step: 10 },
    { start: 1000, end: 9000, step: 100 },
    { start: 9000, end: 10_000, step: 10 },
  ],
};

export function priceRanges(structure: PriceLevelStructure): PriceRange[] {
  return RANGES[structure];
}

/** `price_ranges` as Kalshi writes them: [{"start":"0.0000","end":"1.0000","step":"0.0100"}]. */
export function priceRangesJson(
  structure: PriceLevelStructure,
): { start: string; end: string; step: string }[] {
  return RANGES[structure].map((range) => ({
    start: formatPrice(range.start),
    end: formatPrice(range.end),
    step: formatPrice(range.step),
  }));
}

const grids = new Map<PriceLevelStructure, Price[]>();

/** Every tradable price (exclusive of 0 and 1 dollar), ascending. */
export function priceGrid(structure: PriceLevelStructure): Price[] {
  const cached = grids.get(structure);
  if (cached) return cached;
  const prices = new Set<Price>();
  for (const range of RANGES[structure]) {
    for (let price = range.start; price <= range.end; price += range.step) {
      if (price > 0 && price < 10_000) prices.add(price);
    }
  }
  const grid = [...prices].sort((a, b) => a - b);
  grids.set(structure, grid);
  return grid;
}

/** Index of the grid price nearest to `price`. */
export function nearestIndex(grid: Price[], price: Price): number {
  let low = 0;
  let high = grid.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((grid[mid] ?? 0) < price) low = mid + 1;
    else high = mid;
  }
  if (low > 0 && price - (grid[low - 1] ?? 0) < (grid[low] ?? 0) - price) return low - 1;
  return low;
}
