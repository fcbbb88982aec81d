/**
 * One market's order book as Kalshi models it: bids only, on the YES leg and on the NO leg.
 * The YES ask is 1 − best NO bid. Sizes are Count (1e-2 contracts); a level at 0 is removed.
 */
import { type Count, complement, ONE_DOLLAR, type Price } from "../../core/decimal.js";
import type { Level, Side } from "../../core/kalshi/types.js";

export interface TopOfBook {
  yesBid: Price | undefined;
  yesBidSize: Count;
  noBid: Price | undefined;
  noBidSize: Count;
}

export class Book {
  private readonly levels: Record<Side, Map<Price, Count>> = { yes: new Map(), no: new Map() };
  /** Best bid per leg, kept up to date by apply() (undefined = recompute on demand). */
  private readonly bestCache: Record<Side, Price | undefined> = { yes: undefined, no: undefined };
  private readonly bestKnown: Record<Side, boolean> = { yes: true, no: true };

  size(side: Side, price: Price): Count {
    return this.levels[side].get(price) ?? 0;
  }

  /** Adds a signed change at a level; returns the change actually applied (never below 0). */
  apply(side: Side, price: Price, delta: Count): Count {
    const map = this.levels[side];
    const before = map.get(price) ?? 0;
    const after = Math.max(0, before + delta);
    if (after === 0) map.delete(price);
    else map.set(price, after);
    const best = this.bestCache[side];
    if (after > 0 && this.bestKnown[side] && (best === undefined || price > best))
      this.bestCache[side] = price;
    if (after === 0 && price === best) this.bestKnown[side] = false;
    return after - before;
  }

  best(side: Side): Price | undefined {
    if (this.bestKnown[side]) return this.bestCache[side];
    let best: Price | undefined;
    for (const price of this.levels[side].keys()) if (best === undefined || price > best) best = price;
    this.bestCache[side] = best;
    this.bestKnown[side] = true;
    return best;
  }

  /** The n-th level of a leg in the book's own (insertion) order, for picking one at random. */
  levelAt(side: Side, index: number): Level | undefined {
    let i = 0;
    for (const level of this.levels[side]) if (i++ === index) return level;
    return undefined;
  }

  top(): TopOfBook {
    const yesBid = this.best("yes");
    const noBid = this.best("no");
    return {
      yesBid,
      yesBidSize: yesBid === undefined ? 0 : this.size("yes", yesBid),
      noBid,
      noBidSize: noBid === undefined ? 0 : this.size("no", noBid),
    };
  }

  /** The YES ask implied by the NO bids (1 − best NO bid), or undefined. */
  yesAsk(): Price | undefined {
    const noBid = this.best("no");
    return noBid === undefined ? undefined : complement(noBid);
  }

  /** A bid at `price` on `side` would not cross the other leg. */
  fits(side: Side, price: Price): boolean {
    const other = this.best(side === "yes" ? "no" : "yes");
    return other === undefined || price + other < ONE_DOLLAR;
  }

  depth(side: Side): number {
    return this.levels[side].size;
  }

  /** Levels ascending by price (best bid last), at most `depth` best ones when depth > 0. */
  sorted(side: Side, depth = 0): Level[] {
    const levels = [...this.levels[side].entries()].sort((a, b) => a[0] - b[0]);
    return (depth > 0 ? levels.slice(-depth) : levels).map(([price, count]): Level => [price, count]);
  }

  clear(): void {
    for (const side of ["yes", "no"] as const) {
      this.levels[side].clear();
      this.bestCache[side] = undefined;
      this.bestKnown[side] = true;
    }
  }
}
