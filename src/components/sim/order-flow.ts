/**
 * Order flow on one market: resting orders added and cancelled (orderbook deltas) and trades
 * that execute against the best bid of one leg. A trade emits its delta, then a ticker that
 * agrees with the book, then the trade itself. A ticker also follows any top-of-book change.
 */
import { type Count, complement, ONE_DOLLAR, type Price } from "../../core/decimal.js";
import type { MarketDataMessage, Side } from "../../core/kalshi/types.js";
import type { TopOfBook } from "./book.js";
import { deltaOf, tickerOf, tradeOf } from "./messages.js";
import { nearestIndex, priceGrid } from "./price-grid.js";
import type { World } from "./world.js";
import type { SimMarket } from "./world-types.js";

type Emit = (message: MarketDataMessage) => void;

const other = (side: Side): Side => (side === "yes" ? "no" : "yes");

function topChanged(market: SimMarket, before: TopOfBook): boolean {
  const now = market.book.top();
  return (
    now.yesBid !== before.yesBid ||
    now.yesBidSize !== before.yesBidSize ||
    now.noBid !== before.noBid ||
    now.noBidSize !== before.noBidSize
  );
}

/** One step of activity on a random active market; returns false when nothing could happen. */
export function stepMarket(world: World, market: SimMarket, emit: Emit): void {
  const before = market.book.top();
  const roll = world.prng.next();
  if (roll < 0.1 && tradeOnce(world, market, emit)) return;
  if (roll < 0.4 && cancelOnce(world, market, emit)) {
    if (topChanged(market, before)) emit(tickerOf(market, world.nowMs, ++world.clock));
    return;
  }
  addOnce(world, market, emit);
  if (topChanged(market, before)) emit(tickerOf(market, world.nowMs, ++world.clock));
}

/** Rests a new bid on one leg, within a few ticks of that leg's best, never crossing. */
function addOnce(world: World, market: SimMarket, emit: Emit): void {
  const { prng } = world;
  const grid = priceGrid(market.structure);
  if (prng.chance(0.05)) market.fairIndex = clampIndex(market.fairIndex + (prng.chance(0.5) ? 1 : -1), grid);
  const side: Side =
    market.book.depth("yes") <= market.book.depth("no") ? pickThin(world, "yes") : pickThin(world, "no");
  const fair = grid[market.fairIndex] ?? ONE_DOLLAR / 2;
  const anchor = side === "yes" ? fair : complement(fair);
  let index = nearestIndex(grid, anchor) - prng.int(1, 6);
  const otherBest = market.book.best(other(side));
  if (otherBest !== undefined) {
    let limit = nearestIndex(grid, ONE_DOLLAR - otherBest);
    while (limit >= 0 && (grid[limit] ?? 0) + otherBest >= ONE_DOLLAR) limit--;
    index = Math.min(index, limit);
  }
  const price: Price | undefined = grid[index];
  if (price === undefined) return;
  const size = world.orderSize(market);
  market.book.apply(side, price, size);
  emit(deltaOf(market, side, price, size, world.nowMs));
}

function pickThin(world: World, thin: Side): Side {
  return world.prng.chance(0.65) ? thin : other(thin);
}

/** Cancels part or all of a resting level (keeping at least two levels a side). */
function cancelOnce(world: World, market: SimMarket, emit: Emit): boolean {
  const side: Side = world.prng.chance(0.5) ? "yes" : "no";
  if (market.book.depth(side) <= 2) return false;
  const level = market.book.levelAt(side, Math.floor(world.prng.next() * market.book.depth(side)));
  if (!level) return false;
  const [price, size] = level;
  const amount: Count = world.prng.chance(0.4) ? size : Math.max(1, Math.floor(size * world.prng.next()));
  const applied = market.book.apply(side, price, -amount);
  emit(deltaOf(market, side, price, applied, world.nowMs));
  return true;
}

/** A taker lifts the best bid of one leg: buying YES takes the best NO bid, and vice versa. */
function tradeOnce(world: World, market: SimMarket, emit: Emit): boolean {
  const takerSide: Side = world.prng.chance(0.5) ? "yes" : "no";
  const restingSide = other(takerSide);
  const restingPrice = market.book.best(restingSide);
  if (restingPrice === undefined || market.book.depth(restingSide) <= 1) return false;
  const available = market.book.size(restingSide, restingPrice);
  const count = Math.min(available, world.orderSize(market));
  const yesPrice = takerSide === "yes" ? complement(restingPrice) : restingPrice;
  market.book.apply(restingSide, restingPrice, -count);
  market.previousPrice = market.lastPrice;
  market.lastPrice = yesPrice;
  market.lastTradeSize = count;
  market.volume += count;
  market.openInterest = world.prng.chance(0.3)
    ? Math.max(0, market.openInterest - count)
    : market.openInterest + count;
  market.updatedMs = world.nowMs;
  const trade = world.recordTrade({
    tradeId: world.prng.uuid(),
    ticker: market.ticker,
    yesPrice,
    count,
    takerSide,
    tsMs: world.nowMs,
  });
  emit(deltaOf(market, restingSide, restingPrice, -count, world.nowMs));
  emit(tickerOf(market, world.nowMs, ++world.clock));
  emit(tradeOf(trade));
  return true;
}

function clampIndex(index: number, grid: Price[]): number {
  return Math.max(0, Math.min(grid.length - 1, index));
}
