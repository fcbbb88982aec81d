/**
 * One leg of a Kalshi book (YES bids or NO bids): price levels kept sorted ascending by price in
 * two parallel arrays, so the best bid is the last element, lookups are binary searches, and a
 * level whose size falls to zero or below disappears. Prices and sizes are exact integers
 * (Price 1e-4 $, Count 1e-2 contracts).
 */
import type { Count, Price } from "./decimal.js";
import type { Level } from "./kalshi/types.js";

export class BookSide {
  private prices: Price[] = [];
  private sizes: Count[] = [];

  get size(): number {
    return this.prices.length;
  }

  clear(): void {
    this.prices = [];
    this.sizes = [];
  }

  /** Replaces every level. Later duplicates of a price add to earlier ones; sizes ≤ 0 are dropped. */
  replace(levels: readonly Level[]): void {
    this.clear();
    for (const [price, size] of levels) this.add(price, size);
  }

  /** Adds a signed size change at a price; returns the level's new size (0 when removed). */
  add(price: Price, change: Count): Count {
    const index = this.search(price);
    if (index >= 0) {
      const size = this.sizes[index]! + change;
      if (size > 0) {
        this.sizes[index] = size;
        return size;
      }
      this.prices.splice(index, 1);
      this.sizes.splice(index, 1);
      return 0;
    }
    if (change <= 0) return 0;
    const at = -index - 1;
    this.prices.splice(at, 0, price);
    this.sizes.splice(at, 0, change);
    return change;
  }

  sizeAt(price: Price): Count {
    const index = this.search(price);
    return index >= 0 ? this.sizes[index]! : 0;
  }

  /** The highest-priced level, or undefined when the side is empty. */
  best(): Level | undefined {
    const last = this.prices.length - 1;
    return last < 0 ? undefined : [this.prices[last]!, this.sizes[last]!];
  }

  /** Up to `depth` levels, best (highest price) first. */
  topDown(depth = Number.POSITIVE_INFINITY): Level[] {
    const levels: Level[] = [];
    for (let index = this.prices.length - 1; index >= 0 && levels.length < depth; index--) {
      levels.push([this.prices[index]!, this.sizes[index]!]);
    }
    return levels;
  }

  /** Binary search: the index of `price`, or −(insertion point) − 1 when absent. */
  private search(price: Price): number {
    let low = 0;
    let high = this.prices.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.prices[middle]!;
      if (value < price) low = middle + 1;
      else if (value > price) high = middle - 1;
      else return middle;
    }
    return -low - 1;
  }
}
