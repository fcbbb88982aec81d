/**
 * ticker and ticker_v2 (channel ticker). Each price reads `*_dollars` first and falls back to the
 * legacy integer-cents field; each count reads `*_fp` first, then the legacy integer.
 * `price_dollars: ""` (a never-traded market) reads as no price. `Clock` is an undocumented
 * global counter seen in production captures.
 */
import { type Envelope, type FieldReader, withExtra } from "./parse-fields.js";
import type { TickerUpdate, TickerV2Update } from "./types.js";

export function parseTicker(reader: FieldReader, envelope: Envelope): TickerUpdate {
  const ticker: TickerUpdate = {
    kind: "ticker",
    sid: envelope.sid,
    seq: envelope.seq,
    ticker: reader.name("market_ticker"),
    marketId: reader.optionalString("market_id"),
    price: reader.optionalPrice("price_dollars", "price"),
    yesBid: reader.optionalPrice("yes_bid_dollars", "yes_bid"),
    yesAsk: reader.optionalPrice("yes_ask_dollars", "yes_ask"),
    yesBidSize: reader.optionalCount("yes_bid_size_fp"),
    yesAskSize: reader.optionalCount("yes_ask_size_fp"),
    lastTradeSize: reader.optionalCount("last_trade_size_fp"),
    volume: reader.optionalCount("volume_fp", "volume"),
    openInterest: reader.optionalCount("open_interest_fp", "open_interest"),
    dollarVolume: reader.optionalInteger("dollar_volume"),
    dollarOpenInterest: reader.optionalInteger("dollar_open_interest"),
    tsMs: reader.optionalTimestampMs("time"),
    clock: reader.optionalInteger("Clock"),
  };
  return withExtra(ticker, reader);
}

export function parseTickerV2(reader: FieldReader, envelope: Envelope): TickerV2Update {
  const ticker: TickerV2Update = {
    kind: "ticker_v2",
    sid: envelope.sid,
    seq: envelope.seq,
    ticker: reader.name("market_ticker"),
    marketId: reader.optionalString("market_id"),
    price: reader.optionalPrice("price_dollars", "price"),
    yesBid: reader.optionalPrice("yes_bid_dollars", "yes_bid"),
    yesAsk: reader.optionalPrice("yes_ask_dollars", "yes_ask"),
    volumeDelta: reader.optionalCount("volume_delta_fp", "volume_delta"),
    openInterestDelta: reader.optionalCount("open_interest_delta_fp", "open_interest_delta"),
    dollarVolumeDelta: reader.optionalInteger("dollar_volume_delta"),
    dollarOpenInterestDelta: reader.optionalInteger("dollar_open_interest_delta"),
    tsMs: reader.optionalTimestampMs("time"),
  };
  return withExtra(ticker, reader);
}
