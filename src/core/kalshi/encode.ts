/**
 * Pure encoders: normalized Kalshi messages (types.ts) → wire JSON text, in the `current` shape
 * (fixed-point strings only: `_dollars` 4 dp, `_fp` 2 dp, `ts` + `ts_ms`) or the `legacy` shape
 * (≤ 2026-03: integer cents/counts next to the strings, no `ts_ms`). Bodies (the `msg` object)
 * are encoded apart from the envelope so one body can be wrapped for many subscriptions.
 */
import { complement, type Price } from "../decimal.js";
import {
  cents,
  countFp,
  dollars4,
  dollarsLegacy,
  levelsFp,
  rfc3339Micros,
  rfc3339Seconds,
  unixSeconds,
  wholeContracts,
  wholeDollars,
} from "./encode-fields.js";
import type {
  EventLifecycle,
  Level,
  MarketDataMessage,
  MarketLifecycle,
  OrderbookDelta,
  OrderbookSnapshot,
  TickerUpdate,
  Trade,
  WireFormat,
} from "./types.js";

export interface EncodeOptions {
  format: WireFormat;
  /** Orderbook only: NO-side prices on the YES scale (no bid 0.30 → 0.70). */
  useYesPrice?: boolean;
}

type JsonFields = Record<string, unknown>;

function withExtra(fields: JsonFields, extra: Record<string, unknown> | undefined): string {
  return JSON.stringify(extra === undefined ? fields : { ...fields, ...extra });
}

function noLevels(levels: Level[], useYesPrice: boolean | undefined): Level[] {
  if (!useYesPrice) return levels;
  return levels.map(([price, count]): Level => [complement(price), count]).sort((a, b) => a[0] - b[0]);
}

function legacyLevels(key: "yes" | "no", levels: Level[], out: JsonFields): void {
  out[key] = levels.map(([price, count]) => [cents(price), wholeContracts(count)]);
  out[`${key}_dollars`] = levels.map(([price, count]) => [dollarsLegacy(price), wholeContracts(count)]);
  out[`${key}_dollars_fp`] = levelsFp(levels);
}

export function encodeSnapshotBody(snapshot: OrderbookSnapshot, options: EncodeOptions): string {
  const out: JsonFields = { market_ticker: snapshot.ticker };
  if (snapshot.marketId !== undefined) out.market_id = snapshot.marketId;
  const sides: ["yes" | "no", Level[]][] = [
    ["yes", snapshot.yes],
    ["no", noLevels(snapshot.no, options.useYesPrice)],
  ];
  for (const [key, levels] of sides) {
    if (levels.length === 0) continue; // Kalshi omits an empty side's keys
    if (options.format === "legacy") legacyLevels(key, levels, out);
    else out[`${key}_dollars_fp`] = levelsFp(levels);
  }
  return withExtra(out, snapshot.extra);
}

const quote = JSON.stringify;

/** The hot path (current format, nothing optional or extra): a template, no intermediate object. */
function currentDeltaBody(delta: OrderbookDelta, price: Price, tsMs: number): string {
  const id = delta.marketId === undefined ? "" : `,"market_id":${quote(delta.marketId)}`;
  return `{"market_ticker":${quote(delta.ticker)}${id},"price_dollars":"${dollars4(price)}","delta_fp":"${countFp(delta.delta)}","side":"${delta.side}","ts":"${rfc3339Seconds(tsMs)}","ts_ms":${tsMs}}`;
}

function encodeDeltaBody(delta: OrderbookDelta, options: EncodeOptions): string {
  const price: Price = options.useYesPrice && delta.side === "no" ? complement(delta.price) : delta.price;
  const legacy = options.format === "legacy";
  const plain = delta.extra === undefined && delta.clientOrderId === undefined && delta.tsMs !== undefined;
  if (!legacy && plain) return currentDeltaBody(delta, price, delta.tsMs!);
  const out: JsonFields = { market_ticker: delta.ticker };
  if (delta.marketId !== undefined) out.market_id = delta.marketId;
  if (legacy) out.price = cents(price);
  out.price_dollars = legacy ? dollarsLegacy(price) : dollars4(price);
  if (legacy) out.delta = wholeContracts(delta.delta);
  out.delta_fp = countFp(delta.delta);
  out.side = delta.side;
  if (delta.clientOrderId !== undefined) out.client_order_id = delta.clientOrderId;
  if (delta.tsMs !== undefined) {
    out.ts = rfc3339Seconds(delta.tsMs);
    if (!legacy) out.ts_ms = delta.tsMs;
  }
  return withExtra(out, delta.extra);
}

/** The hot path for tickers in the current format. */
function currentTickerBody(t: TickerUpdate, tsMs: number): string {
  const id = t.marketId === undefined ? "" : `,"market_id":${quote(t.marketId)}`;
  const volume = t.volume ?? 0;
  const openInterest = t.openInterest ?? 0;
  const price = t.price ?? 0;
  const dollarVolume = t.dollarVolume ?? wholeDollars(volume, price);
  const dollarOpenInterest = t.dollarOpenInterest ?? wholeDollars(openInterest, price);
  return (
    `{"market_ticker":${quote(t.ticker)}${id},"price_dollars":"${dollars4(price)}",` +
    `"yes_bid_dollars":"${dollars4(t.yesBid ?? 0)}","yes_ask_dollars":"${dollars4(t.yesAsk ?? 0)}",` +
    `"volume_fp":"${countFp(volume)}","open_interest_fp":"${countFp(openInterest)}",` +
    `"dollar_volume":${dollarVolume},"dollar_open_interest":${dollarOpenInterest},` +
    `"yes_bid_size_fp":"${countFp(t.yesBidSize ?? 0)}","yes_ask_size_fp":"${countFp(t.yesAskSize ?? 0)}",` +
    `"last_trade_size_fp":"${countFp(t.lastTradeSize ?? 0)}","ts":${unixSeconds(tsMs)},"ts_ms":${tsMs},"time":"${rfc3339Micros(tsMs)}"}`
  );
}

export function encodeTickerBody(ticker: TickerUpdate, format: WireFormat): string {
  const legacy = format === "legacy";
  if (!legacy && ticker.extra === undefined && ticker.tsMs !== undefined)
    return currentTickerBody(ticker, ticker.tsMs);
  const zero = 0;
  const price = ticker.price;
  const out: JsonFields = { market_ticker: ticker.ticker };
  if (ticker.marketId !== undefined) out.market_id = ticker.marketId;
  if (legacy) {
    out.price = cents(price ?? zero);
    out.yes_bid = cents(ticker.yesBid ?? zero);
    out.yes_ask = cents(ticker.yesAsk ?? zero);
  }
  // A never-traded market: "" in the legacy era, "0.0000" since.
  out.price_dollars = price === undefined ? (legacy ? "" : dollars4(zero)) : dollars4(price);
  out.yes_bid_dollars = dollars4(ticker.yesBid ?? zero);
  out.yes_ask_dollars = dollars4(ticker.yesAsk ?? zero);
  if (legacy) out.volume = wholeContracts(ticker.volume ?? zero);
  out.volume_fp = countFp(ticker.volume ?? zero);
  if (legacy) out.open_interest = wholeContracts(ticker.openInterest ?? zero);
  out.open_interest_fp = countFp(ticker.openInterest ?? zero);
  out.dollar_volume = ticker.dollarVolume ?? wholeDollars(ticker.volume ?? zero, price ?? zero);
  out.dollar_open_interest =
    ticker.dollarOpenInterest ?? wholeDollars(ticker.openInterest ?? zero, price ?? zero);
  out.yes_bid_size_fp = countFp(ticker.yesBidSize ?? zero);
  out.yes_ask_size_fp = countFp(ticker.yesAskSize ?? zero);
  out.last_trade_size_fp = countFp(ticker.lastTradeSize ?? zero);
  if (ticker.tsMs !== undefined) {
    out.ts = unixSeconds(ticker.tsMs);
    if (!legacy) {
      out.ts_ms = ticker.tsMs;
      out.time = rfc3339Micros(ticker.tsMs);
    }
  }
  if (legacy && ticker.clock !== undefined) out.Clock = ticker.clock;
  return withExtra(out, ticker.extra);
}

function encodeTradeBody(trade: Trade, format: WireFormat): string {
  const legacy = format === "legacy";
  const out: JsonFields = { trade_id: trade.tradeId, market_ticker: trade.ticker };
  if (legacy) {
    out.yes_price = cents(trade.yesPrice);
    out.no_price = cents(trade.noPrice);
  }
  out.yes_price_dollars = dollars4(trade.yesPrice);
  out.no_price_dollars = dollars4(trade.noPrice);
  if (legacy) out.count = wholeContracts(trade.count);
  out.count_fp = countFp(trade.count);
  if (trade.takerSide !== undefined) out.taker_side = trade.takerSide;
  if (!legacy) {
    if (trade.takerSide !== undefined) out.taker_outcome_side = trade.takerSide;
    if (trade.takerBookSide !== undefined) out.taker_book_side = trade.takerBookSide;
    out.is_block_trade = trade.isBlockTrade ?? false;
  }
  out.ts = unixSeconds(trade.tsMs);
  if (!legacy) out.ts_ms = trade.tsMs;
  return withExtra(out, trade.extra);
}

function encodeLifecycleBody(event: MarketLifecycle): string {
  const out: JsonFields = { market_ticker: event.ticker, event_type: event.eventType };
  if (event.openTs !== undefined) out.open_ts = event.openTs;
  if (event.closeTs !== undefined) out.close_ts = event.closeTs;
  if (event.result !== undefined) out.result = event.result;
  if (event.determinationTs !== undefined) out.determination_ts = event.determinationTs;
  if (event.settlementValue !== undefined) out.settlement_value = dollars4(event.settlementValue);
  if (event.settledTs !== undefined) out.settled_ts = event.settledTs;
  if (event.isDeactivated !== undefined) out.is_deactivated = event.isDeactivated;
  if (event.priceLevelStructure !== undefined) out.price_level_structure = event.priceLevelStructure;
  if (event.additionalMetadata !== undefined) out.additional_metadata = event.additionalMetadata;
  return withExtra(out, event.extra);
}

function encodeEventLifecycleBody(event: EventLifecycle, format: WireFormat): string {
  const out: JsonFields = {
    event_ticker: event.eventTicker,
    title: event.title ?? "",
    // Older frames spelled it `sub_title`.
    [format === "legacy" ? "sub_title" : "subtitle"]: event.subtitle ?? "",
    collateral_return_type: event.collateralReturnType ?? "",
    series_ticker: event.seriesTicker ?? "",
  };
  if (event.strikeDate !== undefined) out.strike_date = event.strikeDate;
  if (event.strikePeriod !== undefined) out.strike_period = event.strikePeriod;
  return withExtra(out, event.extra);
}

/** The `msg` body of any market-data message, or undefined for kinds the encoder does not write. */
export function encodeBody(message: MarketDataMessage, options: EncodeOptions): string | undefined {
  switch (message.kind) {
    case "orderbook_snapshot":
      return encodeSnapshotBody(message, options);
    case "orderbook_delta":
      return encodeDeltaBody(message, options);
    case "ticker":
      return encodeTickerBody(message, options.format);
    case "trade":
      return encodeTradeBody(message, options.format);
    case "market_lifecycle_v2":
    case "multivariate_market_lifecycle":
      return encodeLifecycleBody(message);
    case "event_lifecycle":
      return encodeEventLifecycleBody(message, options.format);
    default:
      return undefined;
  }
}

/** `{"type":T,"sid":S[,"seq":Q],"msg":BODY}` — the body is inserted verbatim. */
export function wrapFrame(type: string, sid: number, seq: number | undefined, body: string): string {
  const seqPart = seq === undefined ? "" : `,"seq":${seq}`;
  return `{"type":"${type}","sid":${sid}${seqPart},"msg":${body}}`;
}

/** A whole frame for a message that carries its own sid/seq. */
export function encodeMessage(message: MarketDataMessage, options: EncodeOptions): string | undefined {
  const body = encodeBody(message, options);
  if (body === undefined) return undefined;
  return wrapFrame(message.kind, message.sid ?? 0, message.seq, body);
}
