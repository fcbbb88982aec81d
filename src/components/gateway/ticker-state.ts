/**
 * A market's ticker state, merged from `ticker` messages (absolute values) and `ticker_v2`
 * messages (volume / open-interest deltas, applied only once an absolute value is known).
 * Kalshi's placeholders become "unknown", never a number: last price 0 (or "") = never traded,
 * YES bid 0 = no bid, YES ask 1.00 = no ask (their sizes go with them). Volume 0 is a real 0.
 */
import { type Count, ONE_DOLLAR, type Price } from "../../core/decimal.js";
import type { TickerUpdate, TickerV2Update } from "../../core/kalshi/types.js";
import type { TickerState } from "./events.js";

/** A quote side as the message states it: undefined = not in this message, null = no quote. */
type Quote = { price: Price; size: Count | undefined } | null | undefined;

function quote(price: Price | undefined, size: Count | undefined, isPlaceholder: boolean): Quote {
  if (price === undefined) return undefined;
  return isPlaceholder ? null : { price, size };
}

/** [price, size] after a quote: kept when absent, cleared when a placeholder, else replaced. */
function applyQuote(price: Price | undefined, size: Count | undefined, next: Quote) {
  if (next === null) return [undefined, undefined] as const;
  if (next === undefined) return [price, size] as const;
  return [next.price, next.size ?? size] as const;
}

export function mergeTicker(
  previous: TickerState | undefined,
  update: TickerUpdate | TickerV2Update,
  rtMs: number,
): TickerState {
  const base: TickerState = previous ?? {
    price: undefined,
    bid: undefined,
    ask: undefined,
    bidSize: undefined,
    askSize: undefined,
    volume: undefined,
    openInterest: undefined,
    tsMs: rtMs,
  };
  const sizes = update.kind === "ticker" ? update : { yesBidSize: undefined, yesAskSize: undefined };
  const bid = quote(update.yesBid, sizes.yesBidSize, update.yesBid !== undefined && update.yesBid <= 0);
  const ask = quote(
    update.yesAsk,
    sizes.yesAskSize,
    update.yesAsk !== undefined && update.yesAsk >= ONE_DOLLAR,
  );
  const traded = update.price !== undefined && update.price > 0 ? update.price : undefined;
  const [bidPrice, bidSize] = applyQuote(base.bid, base.bidSize, bid);
  const [askPrice, askSize] = applyQuote(base.ask, base.askSize, ask);
  const next: TickerState = {
    ...base,
    price: traded ?? base.price,
    bid: bidPrice,
    bidSize,
    ask: askPrice,
    askSize,
    tsMs: update.tsMs ?? rtMs,
  };
  if (update.kind === "ticker") {
    next.volume = update.volume ?? base.volume;
    next.openInterest = update.openInterest ?? base.openInterest;
  } else {
    if (update.volumeDelta !== undefined && base.volume !== undefined)
      next.volume = base.volume + update.volumeDelta;
    if (update.openInterestDelta !== undefined && base.openInterest !== undefined) {
      next.openInterest = base.openInterest + update.openInterestDelta;
    }
  }
  return next;
}
