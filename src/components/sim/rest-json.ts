/**
 * REST bodies for markets, events, series and trades (PROTOCOL.md §5), built from the same
 * world state the WebSocket streams, so both always agree. `legacy` adds the integer
 * cent/count fields Kalshi returned until 2026-03.
 */
import { complement, formatCount, formatPrice } from "../../core/decimal.js";
import { cents, wholeContracts, wholeDollars } from "../../core/kalshi/encode-fields.js";
import type { WireFormat } from "../../core/kalshi/types.js";
import { priceRangesJson } from "./price-grid.js";
import type { SimEvent, SimMarket, SimSeries, SimTrade } from "./world-types.js";

type Json = Record<string, unknown>;

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.floor(ms / 1000);

export function marketJson(market: SimMarket, format: WireFormat): Json {
  const top = market.book.top();
  const yesBid = top.yesBid ?? 0;
  const yesAsk = top.noBid === undefined ? 10_000 : complement(top.noBid);
  const last = market.lastPrice ?? 0;
  const out: Json = {
    ticker: market.ticker,
    event_ticker: market.eventTicker,
    market_type: "binary",
    title: market.title,
    subtitle: market.subtitle,
    yes_sub_title: market.yesSubTitle,
    no_sub_title: market.noSubTitle,
    created_time: iso(market.createdMs),
    updated_time: iso(market.updatedMs),
    open_time: iso(market.openMs),
    close_time: iso(market.closeMs),
    expected_expiration_time: iso(market.expirationMs),
    expiration_time: iso(market.expirationMs),
    latest_expiration_time: iso(market.expirationMs),
    settlement_timer_seconds: 300,
    status: market.status,
    yes_bid_dollars: formatPrice(yesBid),
    yes_ask_dollars: formatPrice(yesAsk),
    no_bid_dollars: formatPrice(complement(yesAsk)),
    no_ask_dollars: formatPrice(complement(yesBid)),
    yes_bid_size_fp: formatCount(top.yesBidSize),
    yes_ask_size_fp: formatCount(top.noBidSize),
    last_price_dollars: formatPrice(last),
    previous_price_dollars: formatPrice(market.previousPrice ?? 0),
    volume_fp: formatCount(market.volume),
    volume_24h_fp: formatCount(market.volume),
    open_interest_fp: formatCount(market.openInterest),
    liquidity_dollars: "0.0000",
    notional_value_dollars: "1.0000",
    result: market.result,
    can_close_early: true,
    expiration_value: "",
    strike_type: market.strikeType,
    price_level_structure: market.structure,
    price_ranges: priceRangesJson(market.structure),
    rules_primary: `If ${market.title.toLowerCase()} resolves Yes, the market settles at $1.`,
    rules_secondary: "",
  };
  if (market.floorStrike !== undefined) out.floor_strike = market.floorStrike;
  if (market.capStrike !== undefined) out.cap_strike = market.capStrike;
  if (market.result !== "") out.settlement_value_dollars = market.result === "yes" ? "1.0000" : "0.0000";
  if (market.settledMs !== undefined) out.settlement_ts = iso(market.settledMs);
  if (format === "legacy") Object.assign(out, legacyMarketFields(market, yesBid, yesAsk, last));
  return out;
}

function legacyMarketFields(market: SimMarket, yesBid: number, yesAsk: number, last: number): Json {
  return {
    yes_bid: cents(yesBid),
    yes_ask: cents(yesAsk),
    no_bid: cents(complement(yesAsk)),
    no_ask: cents(complement(yesBid)),
    last_price: cents(last),
    previous_price: cents(market.previousPrice ?? 0),
    volume: wholeContracts(market.volume),
    volume_24h: wholeContracts(market.volume),
    open_interest: wholeContracts(market.openInterest),
    liquidity: 0,
    notional_value: 100,
    response_price_units: "usd_cent",
    tick_size: market.structure === "linear_cent" ? 1 : 0,
    fractional_trading_enabled: market.fractional,
    dollar_volume: wholeDollars(market.volume, last),
  };
}

export function eventJson(event: SimEvent, series: SimSeries | undefined): Json {
  return {
    event_ticker: event.eventTicker,
    series_ticker: event.seriesTicker,
    title: event.title,
    sub_title: event.subtitle,
    collateral_return_type: event.mutuallyExclusive ? "MECNET" : "",
    mutually_exclusive: event.mutuallyExclusive,
    category: series?.category ?? "",
    strike_date: iso(event.strikeDateMs),
    strike_period: "",
    last_updated_ts: iso(event.updatedMs),
    available_on_brokers: false,
    product_metadata: {},
  };
}

export function seriesJson(series: SimSeries, volume: number): Json {
  return {
    ticker: series.ticker,
    frequency: series.frequency,
    title: series.title,
    category: series.category,
    tags: series.tags,
    settlement_sources: [{ name: "ssmd sim", url: "http://127.0.0.1/" }],
    contract_url: "",
    contract_terms_url: "",
    fee_type: series.feeType,
    fee_multiplier: 1,
    additional_prohibitions: [],
    volume_fp: formatCount(volume),
  };
}

export function tradeJson(trade: SimTrade, format: WireFormat): Json {
  const out: Json = {
    trade_id: trade.tradeId,
    ticker: trade.ticker,
    count_fp: formatCount(trade.count),
    yes_price_dollars: formatPrice(trade.yesPrice),
    no_price_dollars: formatPrice(complement(trade.yesPrice)),
    taker_side: trade.takerSide,
    taker_outcome_side: trade.takerSide,
    taker_book_side: trade.takerSide === "yes" ? "bid" : "ask",
    created_time: iso(trade.tsMs),
    is_block_trade: false,
  };
  if (format === "legacy") {
    Object.assign(out, {
      count: wholeContracts(trade.count),
      price: cents(trade.yesPrice),
      yes_price: cents(trade.yesPrice),
      no_price: cents(complement(trade.yesPrice)),
    });
  }
  return out;
}

export { seconds };
