/**
 * Pure normalization of Kalshi REST market-data JSON (PROTOCOL.md §5) into exact-decimal objects:
 * Market here; Event and Series in parse-rest-event.ts; Trade and Orderbook in parse-rest-book.ts.
 * Current fields (`*_dollars`, `*_fp`) win; legacy integer-cent/count fields (≤ 2026-03) are the
 * fallback, so responses from any date normalize to the same values. Times are Unix ms.
 * Fields not modelled are kept in `extra`. Bad input throws a ParseError naming the field.
 */
import type { Count, Price } from "../decimal.js";
import { FieldReader, fieldError, isObject, type JsonObject, withExtra } from "./parse-fields.js";
import { readPriceRanges } from "./parse-lifecycle.js";
import type { PriceRange } from "./types.js";

export { parseRestOrderbook, parseRestTrade } from "./parse-rest-book.js";
export { type KalshiEvent, type KalshiSeries, parseRestEvent, parseRestSeries } from "./parse-rest-event.js";

/**
 * A market as GET /markets returns it. `status` keeps the response vocabulary
 * (initialized|inactive|active|closed|determined|disputed|amended|finalized), not the query
 * filter's (unopened|open|paused|closed|settled).
 */
export interface KalshiMarket {
  ticker: string;
  eventTicker: string;
  marketType: string | undefined;
  status: string;
  title: string | undefined;
  subtitle: string | undefined;
  yesSubTitle: string | undefined;
  noSubTitle: string | undefined;
  createdTime: number | undefined;
  updatedTime: number | undefined;
  openTime: number | undefined;
  closeTime: number | undefined;
  expectedExpirationTime: number | undefined;
  expirationTime: number | undefined;
  latestExpirationTime: number | undefined;
  yesBid: Price | undefined;
  yesAsk: Price | undefined;
  noBid: Price | undefined;
  noAsk: Price | undefined;
  yesBidSize: Count | undefined;
  yesAskSize: Count | undefined;
  lastPrice: Price | undefined;
  previousPrice: Price | undefined;
  previousYesBid: Price | undefined;
  previousYesAsk: Price | undefined;
  volume: Count | undefined;
  volume24h: Count | undefined;
  openInterest: Count | undefined;
  liquidity: Price | undefined;
  notionalValue: Price | undefined;
  /** yes | no | scalar; undefined while undetermined (wire ""). */
  result: string | undefined;
  canCloseEarly: boolean | undefined;
  settlementValue: Price | undefined;
  settlementTime: number | undefined;
  settlementTimerSeconds: number | undefined;
  strikeType: string | undefined;
  floorStrike: number | undefined;
  capStrike: number | undefined;
  priceLevelStructure: string | undefined;
  priceRanges: PriceRange[] | undefined;
  /** Legacy tick size (cents on the wire), removed 2026-05-07. */
  tickSize: Price | undefined;
  rulesPrimary: string | undefined;
  rulesSecondary: string | undefined;
  extra?: JsonObject;
}

function readPrices(reader: FieldReader) {
  return {
    yesBid: reader.optionalPrice("yes_bid_dollars", "yes_bid"),
    yesAsk: reader.optionalPrice("yes_ask_dollars", "yes_ask"),
    noBid: reader.optionalPrice("no_bid_dollars", "no_bid"),
    noAsk: reader.optionalPrice("no_ask_dollars", "no_ask"),
    yesBidSize: reader.optionalCount("yes_bid_size_fp"),
    yesAskSize: reader.optionalCount("yes_ask_size_fp"),
    lastPrice: reader.optionalPrice("last_price_dollars", "last_price"),
    previousPrice: reader.optionalPrice("previous_price_dollars", "previous_price"),
    previousYesBid: reader.optionalPrice("previous_yes_bid_dollars", "previous_yes_bid"),
    previousYesAsk: reader.optionalPrice("previous_yes_ask_dollars", "previous_yes_ask"),
    volume: reader.optionalCount("volume_fp", "volume"),
    volume24h: reader.optionalCount("volume_24h_fp", "volume_24h"),
    openInterest: reader.optionalCount("open_interest_fp", "open_interest"),
    liquidity: reader.optionalPrice("liquidity_dollars", "liquidity"),
    notionalValue: reader.optionalPrice("notional_value_dollars", "notional_value"),
  };
}

function readTimes(reader: FieldReader) {
  return {
    createdTime: reader.optionalTime("created_time"),
    updatedTime: reader.optionalTime("updated_time"),
    openTime: reader.optionalTime("open_time"),
    closeTime: reader.optionalTime("close_time"),
    expectedExpirationTime: reader.optionalTime("expected_expiration_time"),
    expirationTime: reader.optionalTime("expiration_time"),
    latestExpirationTime: reader.optionalTime("latest_expiration_time"),
  };
}

function readSettlement(reader: FieldReader) {
  const result = reader.optionalString("result");
  return {
    result: result === "" ? undefined : result,
    canCloseEarly: reader.optionalBoolean("can_close_early"),
    settlementValue: reader.optionalPrice("settlement_value_dollars", "settlement_value"),
    settlementTime: reader.optionalTime("settlement_ts"),
    settlementTimerSeconds: reader.optionalInteger("settlement_timer_seconds"),
  };
}

/** One Market object (an element of `markets`, or the `market` of GET /markets/{ticker}). */
export function parseRestMarket(value: unknown, path = "market"): KalshiMarket {
  if (!isObject(value)) throw fieldError(path, "a market object", value);
  const reader = new FieldReader(value, path);
  reader.known("subtitle", "sub_title", "response_price_units");
  const market: KalshiMarket = {
    ticker: reader.name("ticker"),
    eventTicker: reader.name("event_ticker"),
    marketType: reader.optionalString("market_type"),
    status: reader.string("status"),
    title: reader.optionalString("title"),
    subtitle: reader.optionalString("subtitle") ?? reader.optionalString("sub_title"),
    yesSubTitle: reader.optionalString("yes_sub_title"),
    noSubTitle: reader.optionalString("no_sub_title"),
    ...readTimes(reader),
    ...readPrices(reader),
    ...readSettlement(reader),
    strikeType: reader.optionalString("strike_type"),
    floorStrike: reader.optionalNumber("floor_strike"),
    capStrike: reader.optionalNumber("cap_strike"),
    priceLevelStructure: reader.optionalString("price_level_structure"),
    priceRanges: readPriceRanges(reader),
    tickSize: reader.has("tick_size") ? reader.price("tick_size_dollars", "tick_size") : undefined,
    rulesPrimary: reader.optionalString("rules_primary"),
    rulesSecondary: reader.optionalString("rules_secondary"),
  };
  reader.known("tick_size_dollars");
  return withExtra(market, reader);
}

/** GET /markets page → markets and the next cursor (undefined when done). */
export function parseRestMarketsPage(body: unknown): { markets: KalshiMarket[]; cursor: string | undefined } {
  if (!isObject(body)) throw fieldError("response", "an object", body);
  const reader = new FieldReader(body, "response");
  const markets = reader.optionalArray("markets") ?? [];
  const cursor = reader.optionalString("cursor");
  return {
    markets: markets.map((market, index) => parseRestMarket(market, `response.markets[${index}]`)),
    cursor: cursor === "" ? undefined : cursor,
  };
}
