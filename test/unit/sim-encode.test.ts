/** The pure frame encoders: exact wire shapes (current and legacy) and round trips through parseFrame. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeMessage, wrapFrame } from "../../src/core/kalshi/encode.js";
import {
  encodeError,
  encodeListOk,
  encodeSubscribed,
  encodeUnsubscribed,
  encodeUpdateOk,
} from "../../src/core/kalshi/encode-replies.js";
import { parseFrame } from "../../src/core/kalshi/parse-frame.js";
import type {
  MarketDataMessage,
  OrderbookDelta,
  OrderbookSnapshot,
  TickerUpdate,
  Trade,
} from "../../src/core/kalshi/types.js";

const snapshot: OrderbookSnapshot = {
  kind: "orderbook_snapshot",
  sid: 2,
  seq: 2,
  ticker: "FED-23DEC-T3.00",
  marketId: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
  yes: [
    [800, 30_000],
    [2200, 33_300],
  ],
  no: [
    [5400, 2000],
    [5600, 14_600],
  ],
};

const delta: OrderbookDelta = {
  kind: "orderbook_delta",
  sid: 2,
  seq: 3,
  ticker: "FED-23DEC-T3.00",
  marketId: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
  side: "yes",
  price: 9600,
  delta: -5400,
  tsMs: 1669149841000,
  clientOrderId: undefined,
};

const ticker: TickerUpdate = {
  kind: "ticker",
  sid: 11,
  seq: undefined,
  ticker: "KXBTCD-26NOV21-T67749.99",
  marketId: "b33c71f7-6394-4f3c-a2ea-a0f893472bc4",
  price: 4100,
  yesBid: 3705,
  yesAsk: 4200,
  yesBidSize: 33_300,
  yesAskSize: 12_345,
  lastTradeSize: 2300,
  volume: 10_858_847,
  openInterest: 4_348_400,
  dollarVolume: 54294,
  dollarOpenInterest: 21742,
  tsMs: 1770897976123,
  clock: 13281241744,
};

const trade: Trade = {
  kind: "trade",
  sid: 3,
  seq: undefined,
  tradeId: "d91bc706-ee49-470d-82d8-11418bda6fed",
  ticker: "HIGHNY-22DEC23-B53.5",
  yesPrice: 3600,
  noPrice: 6400,
  count: 13_647,
  takerSide: "no",
  takerBookSide: "ask",
  isBlockTrade: false,
  tsMs: 1669149841000,
};

describe("encode: current wire format", () => {
  it("writes the orderbook snapshot exactly as PROTOCOL §3.1 shows", () => {
    assert.equal(
      encodeMessage(snapshot, { format: "current" }),
      '{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"],["0.5600","146.00"]]}}',
    );
  });

  it("omits an empty side and converts NO levels to the YES scale with use_yes_price", () => {
    const text = encodeMessage({ ...snapshot, yes: [] }, { format: "current", useYesPrice: true })!;
    const msg = JSON.parse(text).msg;
    assert.equal("yes_dollars_fp" in msg, false);
    assert.deepEqual(msg.no_dollars_fp, [
      ["0.4400", "146.00"],
      ["0.4600", "20.00"],
    ]);
  });

  it("writes deltas with 4-dp dollars, signed 2-dp counts, RFC3339 ts and ts_ms", () => {
    const msg = JSON.parse(encodeMessage(delta, { format: "current" })!).msg;
    assert.deepEqual(msg, {
      market_ticker: "FED-23DEC-T3.00",
      market_id: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
      price_dollars: "0.9600",
      delta_fp: "-54.00",
      side: "yes",
      ts: "2022-11-22T20:44:01Z",
      ts_ms: 1669149841000,
    });
  });

  it("writes sub-cent prices and fractional sizes exactly", () => {
    const msg = JSON.parse(encodeMessage(ticker, { format: "current" })!).msg;
    assert.equal(msg.yes_bid_dollars, "0.3705");
    assert.equal(msg.yes_ask_size_fp, "123.45");
    assert.equal(msg.volume_fp, "108588.47");
    assert.equal(msg.ts, 1770897976);
    assert.equal(msg.ts_ms, 1770897976123);
    assert.equal(msg.time, "2026-02-12T12:06:16.123000Z");
    assert.equal("Clock" in msg, false);
    assert.equal("price" in msg, false);
  });

  it("splits taker side into outcome and book side on trades", () => {
    const msg = JSON.parse(encodeMessage(trade, { format: "current" })!).msg;
    assert.equal(msg.taker_outcome_side, "no");
    assert.equal(msg.taker_book_side, "ask");
    assert.equal(msg.count_fp, "136.47");
    assert.equal(msg.no_price_dollars, "0.6400");
    assert.equal("yes_price" in msg, false);
  });
});

describe("encode: legacy wire format", () => {
  it("adds integer cents and counts next to the strings, as before 2026-03", () => {
    const msg = JSON.parse(encodeMessage(snapshot, { format: "legacy" })!).msg;
    assert.deepEqual(msg.yes, [
      [8, 300],
      [22, 333],
    ]);
    assert.deepEqual(msg.yes_dollars, [
      ["0.080", 300],
      ["0.220", 333],
    ]);
    assert.deepEqual(msg.no_dollars_fp, [
      ["0.5400", "20.00"],
      ["0.5600", "146.00"],
    ]);
  });

  it("writes the legacy delta of PROTOCOL §3.1 (no ts_ms)", () => {
    const msg = JSON.parse(encodeMessage(delta, { format: "legacy" })!).msg;
    assert.deepEqual(msg, {
      market_ticker: "FED-23DEC-T3.00",
      market_id: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
      price: 96,
      price_dollars: "0.960",
      delta: -54,
      delta_fp: "-54.00",
      side: "yes",
      ts: "2022-11-22T20:44:01Z",
    });
  });

  it('writes the never-traded ticker quirk price_dollars "" and the Clock field', () => {
    const msg = JSON.parse(encodeMessage({ ...ticker, price: undefined }, { format: "legacy" })!).msg;
    assert.equal(msg.price, 0);
    assert.equal(msg.price_dollars, "");
    assert.equal(msg.Clock, 13281241744);
    assert.equal("ts_ms" in msg, false);
  });
});

describe("encode → parseFrame round trip", () => {
  const messages: MarketDataMessage[] = [snapshot, delta, ticker, trade];
  for (const format of ["current", "legacy"] as const) {
    for (const message of messages) {
      it(`${format} ${message.kind} parses back to the same values`, () => {
        // Legacy integers cannot hold sub-cent prices; compare with whole-cent inputs there.
        const input =
          format === "legacy" && message.kind === "ticker" ? { ...message, yesBid: 3700 } : message;
        const parsed = parseFrame(encodeMessage(input, { format })!);
        assert.ok(parsed.ok, parsed.ok ? "" : parsed.error.message);
        const out = parsed.message as unknown as Record<string, unknown>;
        for (const [key, value] of Object.entries(input)) {
          if (key === "extra" || value === undefined) continue;
          const legacyOnlyMissing = ["tsMs", "dollarVolume", "takerBookSide", "isBlockTrade"];
          if (format === "legacy" && legacyOnlyMissing.includes(key)) continue;
          if (format === "current" && key === "clock") continue;
          assert.deepEqual(out[key], value, `${message.kind}.${key}`);
        }
      });
    }
  }
});

describe("encode: command replies", () => {
  it("writes Kalshi's reply shapes, leaving out id 0", () => {
    assert.equal(
      encodeSubscribed(1, "orderbook_delta", 1),
      '{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}',
    );
    assert.equal(encodeUnsubscribed(102, 2, 7), '{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}');
    assert.equal(
      encodeUpdateOk(123, 456, 222, ["MARKET-1", "MARKET-2"]),
      '{"id":123,"sid":456,"seq":222,"type":"ok","msg":{"market_tickers":["MARKET-1","MARKET-2"]}}',
    );
    assert.equal(
      encodeListOk(3, [{ channel: "ticker", sid: 2 }]),
      '{"id":3,"type":"ok","msg":[{"channel":"ticker","sid":2}]}',
    );
    assert.equal(
      encodeError(127, 16, { marketTicker: "INVALID-MARKET" }),
      '{"id":127,"type":"error","msg":{"code":16,"msg":"Market not found","market_ticker":"INVALID-MARKET"}}',
    );
    assert.equal(encodeError(0, 5), '{"type":"error","msg":{"code":5,"msg":"Unknown command"}}');
    assert.equal(wrapFrame("trade", 3, undefined, "{}"), '{"type":"trade","sid":3,"msg":{}}');
  });
});
