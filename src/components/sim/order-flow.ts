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
import type { SimMarket, SimTrade } from "./world-types.js";

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

/**
 * A taker order lifts the best bids of one leg (buying YES takes NO bids, and vice versa), level
 * by level — a large order sweeps several (never the leg's last). Emits one delta per level
 * filled, then one ticker that agrees with the book, then one trade per fill.
 */
function tradeOnce(world: World, market: SimMarket, emit: Emit): boolean {
  const takerSide: Side = world.prng.chance(0.5) ? "yes" : "no";
  const restingSide = other(takerSide);
  if (market.book.depth(restingSide) <= 1) return false;
  let wanted = world.orderSize(market) * (world.prng.chance(0.15) ? 4 : 1);
  const fills: { price: Price; count: Count }[] = [];
  while (wanted > 0 && market.book.depth(restingSide) > 1) {
    const price = market.book.best(restingSide)!;
    const count = Math.min(wanted, market.book.size(restingSide, price));
    market.book.apply(restingSide, price, -count);
    fills.push({ price, count });
    wanted -= count;
  }
  for (const fill of fills) emit(deltaOf(market, restingSide, fill.price, -fill.count, world.nowMs));
  const trades = fills.map((fill) => recordFill(world, market, takerSide, fill));
  emit(tickerOf(market, world.nowMs, ++world.clock));
  for (const trade of trades) emit(tradeOf(trade));
  return true;
}

function recordFill(
  world: World,
  market: SimMarket,
  takerSide: Side,
  fill: { price: Price; count: Count },
): SimTrade {
  const yesPrice = takerSide === "yes" ? complement(fill.price) : fill.price;
  market.previousPrice = market.lastPrice;
  market.lastPrice = yesPrice;
  market.lastTradeSize = fill.count;
  market.volume += fill.count;
  const closing = world.prng.chance(0.3);
  market.openInterest = closing
    ? Math.max(0, market.openInterest - fill.count)
    : market.openInterest + fill.count;
  market.updatedMs = world.nowMs;
  const trade = {
    tradeId: world.prng.uuid(),
    ticker: market.ticker,
    yesPrice,
    count: fill.count,
    takerSide,
    tsMs: world.nowMs,
  };
  return world.recordTrade(trade);
}

function clampIndex(index: number, grid: Price[]): number {
  return Math.max(0, Math.min(grid.length - 1, index));
}
