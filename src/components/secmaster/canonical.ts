/**
 * Kalshi objects (normalized by core/kalshi/rest-market.ts) → canonical field text, the form
 * the store compares and writes. Prices and sizes stay exact: integers of 1e-4 $ / 1e-2
 * contracts formatted as fixed decimals, never floats.
 */
import { type Count, formatCount, formatPrice, type Price } from "../../core/decimal.js";
import type { KalshiEvent, KalshiMarket, KalshiSeries } from "../../core/kalshi/rest-market.js";
import type { PriceRange } from "../../core/kalshi/types.js";
import type { EntityRecord, FieldValues } from "./entity-specs.js";

export const price = (value: Price | undefined): string | null =>
  value === undefined ? null : formatPrice(value);
export const count = (value: Count | undefined): string | null =>
  value === undefined ? null : formatCount(value);
export const time = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString();
export const text = (value: string | undefined): string | null => value ?? null;
export const bool = (value: boolean | undefined): string | null =>
  value === undefined ? null : String(value);
export const number = (value: number | undefined): string | null =>
  value === undefined || !Number.isFinite(value) ? null : String(value);

export function priceRangesText(ranges: PriceRange[] | undefined): string | null {
  if (ranges === undefined) return null;
  return JSON.stringify(
    ranges.map((range) => ({
      start: formatPrice(range.start),
      end: formatPrice(range.end),
      step: formatPrice(range.step),
    })),
  );
}

/** `KXBTCD-26FEB12-T67749.99` → `KXBTCD-26FEB12`; `KXBTCD-26FEB12` → `KXBTCD`. */
export function parentTicker(ticker: string): string {
  const dash = ticker.lastIndexOf("-");
  return dash > 0 ? ticker.slice(0, dash) : ticker;
}

/** The series of an event ticker when no event record says so: the part before the first '-'. */
export function seriesOfEventTicker(eventTicker: string): string {
  const dash = eventTicker.indexOf("-");
  return dash > 0 ? eventTicker.slice(0, dash) : eventTicker;
}

export function seriesRecord(series: KalshiSeries): EntityRecord {
  return {
    key: series.ticker,
    values: {
      title: text(series.title),
      category: text(series.category),
      frequency: text(series.frequency),
      tags: JSON.stringify(series.tags),
      fee_type: text(series.feeType),
      fee_multiplier: number(series.feeMultiplier),
      contract_url: text(series.contractUrl),
      volume: count(series.volume),
      last_updated_time: time(series.lastUpdatedTime),
    },
  };
}

/** `category` is kept only when Kalshi still sends it on the event (deprecated there). */
export function eventRecord(event: KalshiEvent, seriesCategory: string | undefined): EntityRecord {
  return {
    key: event.eventTicker,
    values: {
      series_ticker: event.seriesTicker ?? seriesOfEventTicker(event.eventTicker),
      title: text(event.title),
      subtitle: text(event.subtitle),
      category: text(seriesCategory ?? (event.category || undefined)),
      collateral_return_type: text(event.collateralReturnType),
      mutually_exclusive: bool(event.mutuallyExclusive),
      strike_date: time(event.strikeDate),
      strike_period: text(event.strikePeriod),
      last_updated_time: time(event.lastUpdatedTime),
    },
  };
}

export interface MarketParents {
  seriesTicker: string;
  category: string | null;
}

function marketTimes(market: KalshiMarket): FieldValues {
  return {
    created_time: time(market.createdTime),
    updated_time: time(market.updatedTime),
    open_time: time(market.openTime),
    close_time: time(market.closeTime),
    expected_expiration_time: time(market.expectedExpirationTime),
    expiration_time: time(market.expirationTime),
    latest_expiration_time: time(market.latestExpirationTime),
  };
}

function marketQuotes(market: KalshiMarket): FieldValues {
  return {
    yes_bid: price(market.yesBid),
    yes_ask: price(market.yesAsk),
    no_bid: price(market.noBid),
    no_ask: price(market.noAsk),
    yes_bid_size: count(market.yesBidSize),
    yes_ask_size: count(market.yesAskSize),
    last_price: price(market.lastPrice),
    previous_price: price(market.previousPrice),
    previous_yes_bid: price(market.previousYesBid),
    previous_yes_ask: price(market.previousYesAsk),
    volume: count(market.volume),
    volume_24h: count(market.volume24h),
    open_interest: count(market.openInterest),
    liquidity: price(market.liquidity),
    notional_value: price(market.notionalValue),
  };
}

export function marketRecord(market: KalshiMarket, parents: MarketParents): EntityRecord {
  return {
    key: market.ticker,
    values: {
      event_ticker: market.eventTicker,
      series_ticker: parents.seriesTicker,
      category: parents.category,
      market_type: text(market.marketType),
      status: market.status,
      title: text(market.title),
      subtitle: text(market.subtitle),
      yes_sub_title: text(market.yesSubTitle),
      no_sub_title: text(market.noSubTitle),
      ...marketTimes(market),
      ...marketQuotes(market),
      result: text(market.result),
      can_close_early: bool(market.canCloseEarly),
      settlement_value: price(market.settlementValue),
      settlement_time: time(market.settlementTime),
      settlement_timer_seconds: number(market.settlementTimerSeconds),
      strike_type: text(market.strikeType),
      floor_strike: number(market.floorStrike),
      cap_strike: number(market.capStrike),
      price_level_structure: text(market.priceLevelStructure),
      price_ranges: priceRangesText(market.priceRanges),
      tick_size: price(market.tickSize),
      rules_primary: text(market.rulesPrimary),
      rules_secondary: text(market.rulesSecondary),
    },
  };
}
