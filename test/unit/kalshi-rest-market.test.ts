/**
 * REST normalization: the PROTOCOL.md §5.1 live capture, legacy vs current market/orderbook/trade
 * shapes, events with nested markets, series, and errors that name the field.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  parseRestEvent,
  parseRestMarket,
  parseRestMarketsPage,
  parseRestOrderbook,
  parseRestSeries,
  parseRestTrade,
} from "../../src/core/kalshi/rest-market.js";
import { OrderBook } from "../../src/core/orderbook.js";

const capture = JSON.parse(
  readFileSync(new URL("../fixtures/kalshi/protocol.rest.jsonl", import.meta.url), "utf8").split("\n")[0]!,
) as { body: unknown };

describe("REST Market", () => {
  it("normalizes the PROTOCOL.md live capture exactly", () => {
    const page = parseRestMarketsPage(capture.body);
    assert.equal(page.cursor, "CgwIj66QxwYQsOCSqgMSEUtYRkVELTI3QVBSLVQ0LjI1");
    assert.equal(page.markets.length, 1);
    const market = page.markets[0]!;
    assert.equal(market.ticker, "KXFED-27APR-T4.25");
    assert.equal(market.eventTicker, "KXFED-27APR");
    assert.equal(market.status, "active");
    assert.equal(market.subtitle, "4.25%");
    assert.equal(market.yesBid, 2700);
    assert.equal(market.yesAsk, 2800);
    assert.equal(market.noBid, 7200);
    assert.equal(market.yesBidSize, 3154);
    assert.equal(market.volume, 1015543);
    assert.equal(market.openInterest, 202047);
    assert.equal(market.volume24h, 0);
    assert.equal(market.notionalValue, 10000);
    assert.equal(market.result, undefined, 'result "" = not determined');
    assert.equal(market.closeTime, Date.UTC(2027, 3, 28, 17, 55));
    assert.equal(market.createdTime, Date.parse("2025-10-06T19:22:55.893Z"));
    assert.equal(market.floorStrike, 4.25);
    assert.deepEqual(market.priceRanges, [{ start: 0, end: 10000, step: 100 }]);
    assert.deepEqual(Object.keys(market.extra ?? {}).sort(), ["expiration_value"]);
  });

  it("reads a legacy (≤ 2026-03) market to the same prices and counts", () => {
    const legacy = parseRestMarket({
      ticker: "M-1",
      event_ticker: "E",
      status: "active",
      yes_bid: 27,
      yes_ask: 28,
      no_bid: 72,
      no_ask: 73,
      last_price: 28,
      volume: 10155,
      open_interest: 2020,
      tick_size: 1,
      response_price_units: "usd_cent",
      sub_title: "old spelling",
    });
    const current = parseRestMarket({
      ticker: "M-1",
      event_ticker: "E",
      status: "active",
      yes_bid_dollars: "0.2700",
      yes_ask_dollars: "0.2800",
      no_bid_dollars: "0.7200",
      no_ask_dollars: "0.73",
      last_price_dollars: "0.280",
      volume_fp: "10155.00",
      open_interest_fp: "2020",
      subtitle: "old spelling",
    });
    assert.deepEqual({ ...legacy, tickSize: undefined }, current);
    assert.equal(legacy.tickSize, 100);
  });

  it("names the offending field", () => {
    assert.throws(
      () => parseRestMarket({ ticker: "A", event_ticker: "E", status: "active", yes_bid_dollars: "x" }),
      {
        name: "ParseError",
        message: /market\.yes_bid_dollars/,
      },
    );
    assert.throws(
      () => parseRestMarketsPage({ markets: [{ ticker: "A" }] }),
      /response\.markets\[0\]\.event_ticker/,
    );
    assert.throws(() => parseRestMarket(null), /market: expected a market object/);
  });
});

describe("REST Event and Series", () => {
  it("normalizes an event with nested markets", () => {
    const event = parseRestEvent({
      event_ticker: "KXFED-27APR",
      series_ticker: "KXFED",
      title: "Fed",
      sub_title: "Apr 2027",
      mutually_exclusive: false,
      strike_date: "2027-04-28T18:00:00Z",
      markets: [{ ticker: "KXFED-27APR-T4.25", event_ticker: "KXFED-27APR", status: "initialized" }],
      available_on_brokers: true,
    });
    assert.equal(event.subtitle, "Apr 2027");
    assert.equal(event.strikeDate, Date.UTC(2027, 3, 28, 18));
    assert.equal(event.markets?.[0]?.status, "initialized");
    assert.deepEqual(event.extra, { available_on_brokers: true });
  });

  it("normalizes a series", () => {
    const series = parseRestSeries({
      ticker: "KXFED",
      title: "Fed rate",
      category: "Economics",
      frequency: "custom",
      tags: ["Fed"],
      fee_type: "quadratic",
      fee_multiplier: 1,
      volume_fp: "12.50",
    });
    assert.equal(series.category, "Economics");
    assert.deepEqual(series.tags, ["Fed"]);
    assert.equal(series.volume, 1250);
    assert.throws(() => parseRestSeries({ ticker: "X", tags: [1] }), /series\.tags\[0\]/);
  });
});

describe("REST Orderbook and Trade", () => {
  it("current orderbook_fp and legacy orderbook give the same book", () => {
    const current = parseRestOrderbook(
      { orderbook_fp: { yes_dollars: [["0.1100", "97.22"]], no_dollars: [["0.8500", "3.00"]] } },
      "M",
    );
    const legacy = parseRestOrderbook({ orderbook: { yes: [[11, 97]], no: [[85, 3]] } }, "M");
    assert.deepEqual(current.yes, [[1100, 9722]]);
    assert.deepEqual(legacy.yes, [[1100, 9700]]);
    assert.deepEqual(current.no, legacy.no);
    const book = new OrderBook("M");
    book.applySnapshot(current);
    assert.deepEqual(book.bestYesAsk(), [1500, 300]);
    assert.deepEqual(parseRestOrderbook({ orderbook_fp: {} }, "M").yes, []);
    assert.throws(() => parseRestOrderbook({}, "M"), /response\.orderbook/);
  });

  it("reads REST trades (ticker, created_time) in both shapes", () => {
    const current = parseRestTrade({
      trade_id: "t1",
      ticker: "M",
      count_fp: "3.00",
      yes_price_dollars: "0.4000",
      no_price_dollars: "0.6000",
      taker_outcome_side: "yes",
      taker_book_side: "bid",
      created_time: "2026-07-18T12:00:00Z",
    });
    const legacy = parseRestTrade({
      trade_id: "t1",
      ticker: "M",
      count: 3,
      yes_price: 40,
      no_price: 60,
      taker_side: "yes",
      created_time: "2026-07-18T12:00:00Z",
    });
    assert.equal(current.tsMs, Date.UTC(2026, 6, 18, 12));
    assert.deepEqual({ ...legacy, takerBookSide: "bid" }, current);
  });
});
