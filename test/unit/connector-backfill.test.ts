/**
 * The REST trade → WS trade frame reshaping of the post-outage backfill: the frame must parse with
 * the same parser as live frames (downstream cannot tell them apart except by `source`).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tradeFrame } from "../../src/components/connector/backfill.js";
import { parseFrame } from "../../src/core/kalshi/parse-frame.js";
import { scanFrameHeader } from "../../src/core/kalshi/scan-frame.js";

const restTrade = {
  trade_id: "6ca9f5c2-6bcb-4f7e-bab4-5e82a40a44d8",
  ticker: "KXBTCD-26NOV2118-T66999.99",
  count_fp: "122.00",
  yes_price_dollars: "0.6600",
  no_price_dollars: "0.3400",
  taker_side: "yes",
  taker_outcome_side: "yes",
  taker_book_side: "bid",
  created_time: "2026-11-21T18:05:20.290Z",
  is_block_trade: false,
};

describe("backfill trade frame", () => {
  it("reshapes a REST trade into a WS trade frame that parses like a live one", () => {
    const text = tradeFrame(restTrade, restTrade.ticker);
    const frame = JSON.parse(text);
    assert.equal(frame.type, "trade");
    assert.equal(frame.source, "rest_backfill");
    assert.equal(frame.msg.market_ticker, restTrade.ticker);
    assert.equal(frame.msg.ticker, undefined);
    assert.equal(frame.msg.ts_ms, Date.parse(restTrade.created_time));
    assert.equal(frame.msg.ts, Math.floor(Date.parse(restTrade.created_time) / 1000));
    const parsed = parseFrame(text);
    assert.ok(parsed.ok, parsed.ok ? "" : parsed.error.message);
    assert.equal(parsed.message.kind, "trade");
    if (parsed.message.kind !== "trade") return;
    assert.equal(parsed.message.tradeId, restTrade.trade_id);
    assert.equal(parsed.message.ticker, restTrade.ticker);
    assert.equal(parsed.message.yesPrice, 6600);
    assert.equal(parsed.message.count, 12_200);
    assert.equal(parsed.message.tsMs, Date.parse(restTrade.created_time));
    assert.deepEqual(scanFrameHeader(text), {
      type: "trade",
      sid: 0,
      ticker: restTrade.ticker,
      tradeId: restTrade.trade_id,
    });
  });
});
