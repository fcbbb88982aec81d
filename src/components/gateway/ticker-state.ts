/**
 * A market's ticker state, merged from `ticker` messages (absolute values) and `ticker_v2`
 * messages (volume / open-interest deltas, applied only once an absolute value is known).
 */
import type { TickerUpdate, TickerV2Update } from "../../core/kalshi/types.js";
import type { TickerState } from "./events.js";

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
  const next: TickerState = {
    ...base,
    price: update.price ?? base.price,
    bid: update.yesBid ?? base.bid,
    ask: update.yesAsk ?? base.ask,
    tsMs: update.tsMs ?? rtMs,
  };
  if (update.kind === "ticker") {
    next.bidSize = update.yesBidSize ?? base.bidSize;
    next.askSize = update.yesAskSize ?? base.askSize;
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
