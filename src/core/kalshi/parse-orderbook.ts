/**
 * orderbook_snapshot / orderbook_delta (channel orderbook_delta).
 * Snapshot levels come in three wire generations, chosen per side by which key is present:
 *   current  `yes_dollars_fp: [["0.0800","300.00"], ...]`   (dollar string, count string)
 *   2025     `yes_dollars:    [["0.080", 300], ...]`        (dollar string, integer count)
 *   legacy   `yes:            [[8, 300], ...]`              (integer cents, integer count)
 * A side's key is absent when that side is empty.
 */
import type { Count, Price } from "../decimal.js";
import {
  centsPrice,
  dollarsPrice,
  type Envelope,
  type FieldReader,
  fieldError,
  fpCount,
  integerCount,
  withExtra,
} from "./parse-fields.js";
import type { Level, OrderbookDelta, OrderbookSnapshot, Side } from "./types.js";

type LevelShape = "fp" | "dollars" | "cents";

function readLevel(entry: unknown, shape: LevelShape, path: string): Level {
  if (!Array.isArray(entry) || entry.length !== 2) throw fieldError(path, "a [price, size] pair", entry);
  const price: Price =
    shape === "cents" ? centsPrice(entry[0], `${path}[0]`) : dollarsPrice(entry[0], `${path}[0]`);
  const size: Count = shape === "fp" ? fpCount(entry[1], `${path}[1]`) : integerCount(entry[1], `${path}[1]`);
  return [price, size];
}

function readSide(reader: FieldReader, side: Side): Level[] {
  const keys: [string, LevelShape][] = [
    [`${side}_dollars_fp`, "fp"],
    [`${side}_dollars`, "dollars"],
    [side, "cents"],
  ];
  reader.known(...keys.map(([key]) => key));
  for (const [key, shape] of keys) {
    if (!reader.has(key)) continue;
    const entries = reader.optionalArray(key) ?? [];
    return entries.map((entry, index) => readLevel(entry, shape, `${reader.field(key)}[${index}]`));
  }
  return [];
}

export function parseOrderbookSnapshot(reader: FieldReader, envelope: Envelope): OrderbookSnapshot {
  const snapshot: OrderbookSnapshot = {
    kind: "orderbook_snapshot",
    sid: envelope.sid,
    seq: envelope.seq,
    ticker: reader.name("market_ticker"),
    marketId: reader.optionalString("market_id"),
    yes: readSide(reader, "yes"),
    no: readSide(reader, "no"),
  };
  return withExtra(snapshot, reader);
}

export function parseOrderbookDelta(reader: FieldReader, envelope: Envelope): OrderbookDelta {
  const side = reader.optionalEnum("side", ["yes", "no"] as const);
  if (side === undefined) throw fieldError(reader.field("side"), '"yes" or "no"', undefined);
  const delta: OrderbookDelta = {
    kind: "orderbook_delta",
    sid: envelope.sid,
    seq: envelope.seq,
    ticker: reader.name("market_ticker"),
    marketId: reader.optionalString("market_id"),
    side,
    price: reader.price("price_dollars", "price"),
    delta: reader.count("delta_fp", "delta"),
    tsMs: reader.optionalTimestampMs(),
    clientOrderId: reader.optionalString("client_order_id"),
  };
  return withExtra(delta, reader);
}
