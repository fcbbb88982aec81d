/**
 * trade (channel trade). Current frames carry `yes_price_dollars`/`no_price_dollars`/`count_fp`
 * and `taker_outcome_side` + `taker_book_side`; legacy frames carry integer `yes_price`/
 * `no_price`/`count` and `taker_side`; the oldest used `ticker` and `price`. All map to one Trade.
 * The NO price, when absent, is 1 − YES price.
 */
import { complement } from "../decimal.js";
import { centsPrice, type Envelope, type FieldReader, fieldError, withExtra } from "./parse-fields.js";
import type { Trade } from "./types.js";

const SIDES = ["yes", "no"] as const;
const BOOK_SIDES = ["bid", "ask"] as const;

function readTicker(reader: FieldReader): string {
  reader.known("ticker");
  if (!reader.has("market_ticker") && reader.has("ticker")) return reader.name("ticker");
  return reader.name("market_ticker");
}

function readYesPrice(reader: FieldReader): number {
  reader.known("price");
  if (!reader.has("yes_price_dollars") && !reader.has("yes_price") && reader.has("price")) {
    return centsPrice(reader.take("price"), reader.field("price"));
  }
  return reader.price("yes_price_dollars", "yes_price");
}

export function parseTrade(reader: FieldReader, envelope: Envelope): Trade {
  const ticker = readTicker(reader);
  const tradeId = reader.name("trade_id");
  const yesPrice = readYesPrice(reader);
  const noPrice = reader.optionalPrice("no_price_dollars", "no_price") ?? complement(yesPrice);
  const outcomeSide = reader.optionalEnum("taker_outcome_side", SIDES);
  const legacySide = reader.optionalEnum("taker_side", SIDES);
  const tsMs = reader.optionalTimestampMs("created_time");
  if (tsMs === undefined) throw fieldError(reader.field("ts_ms (or ts)"), "a time", undefined);
  const trade: Trade = {
    kind: "trade",
    sid: envelope.sid,
    seq: envelope.seq,
    tradeId,
    ticker,
    yesPrice,
    noPrice,
    count: reader.count("count_fp", "count"),
    takerSide: outcomeSide ?? legacySide,
    takerBookSide: reader.optionalEnum("taker_book_side", BOOK_SIDES),
    isBlockTrade: reader.optionalBoolean("is_block_trade"),
    tsMs,
  };
  return withExtra(trade, reader);
}
