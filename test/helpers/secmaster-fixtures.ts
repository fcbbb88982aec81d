/** Kalshi-shaped REST JSON for secmaster tests, normalized through the real parsers. */
import { eventRecord, marketRecord, seriesRecord } from "../../src/components/secmaster/canonical.js";
import type { EntityRecord } from "../../src/components/secmaster/entity-specs.js";
import { parseRestEvent, parseRestMarket, parseRestSeries } from "../../src/core/kalshi/rest-market.js";

export function rawMarket(ticker: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticker,
    event_ticker: ticker.slice(0, ticker.lastIndexOf("-")),
    market_type: "binary",
    title: `Market ${ticker}`,
    status: "active",
    open_time: "2026-11-20T00:00:00Z",
    close_time: "2026-11-21T16:00:00Z",
    yes_bid_dollars: "0.4500",
    yes_ask_dollars: "0.4700",
    last_price_dollars: "0.4600",
    volume_fp: "136.00",
    strike_type: "greater",
    floor_strike: 67749.99,
    price_level_structure: "linear_cent",
    price_ranges: [{ start: "0.0000", end: "1.0000", step: "0.0100" }],
    rules_primary: "Settles Yes if ...",
    ...fields,
  };
}

export function marketOf(
  ticker: string,
  fields: Record<string, unknown> = {},
  category = "Crypto",
): EntityRecord {
  const market = parseRestMarket(rawMarket(ticker, fields));
  const series = ticker.split("-")[0] ?? ticker;
  return marketRecord(market, { seriesTicker: series, category });
}

export function seriesOf(ticker: string, category: string): EntityRecord {
  return seriesRecord(
    parseRestSeries({ ticker, title: `Series ${ticker}`, category, frequency: "daily", tags: ["t"] }),
  );
}

export function eventOf(eventTicker: string, category: string): EntityRecord {
  const series = eventTicker.split("-")[0] ?? eventTicker;
  return eventRecord(
    parseRestEvent({ event_ticker: eventTicker, series_ticker: series, title: `Event ${eventTicker}` }),
    category,
  );
}
