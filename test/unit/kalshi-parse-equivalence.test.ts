/**
 * Legacy vs current wire shapes normalize to the same values; parseFrame and scanFrameHeader
 * never throw, whatever the bytes (seeded mutations of every fixture frame).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseFrame, scanFrameHeader } from "../../src/core/kalshi/parse-frame.js";
import type { KalshiMessage } from "../../src/core/kalshi/types.js";
import { prng } from "../helpers/prng.js";

function message(text: string): KalshiMessage {
  const result = parseFrame(text);
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  return result.message;
}

/** Same normalized values; `extra` and wire-only ids aside. */
function values(text: string): unknown {
  const { extra: _extra, ...rest } = message(text);
  return JSON.parse(JSON.stringify(rest));
}

const PAIRS: [string, string, string][] = [
  [
    "orderbook_snapshot: integer cents vs fixed-point strings",
    '{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"M","yes":[[8,300],[22,333]],"no":[[54,20]]}}',
    '{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"M","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"]]}}',
  ],
  [
    "orderbook_delta: price/delta ints + RFC3339 ts vs price_dollars/delta_fp + ts_ms",
    '{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"M","price":96,"delta":-54,"side":"yes","ts":"2022-11-22T20:44:01Z"}}',
    '{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"M","price_dollars":"0.960","delta_fp":"-54.00","side":"yes","ts_ms":1669149841000}}',
  ],
  [
    "trade: yes_price/count/taker_side vs dollars/fp/taker_outcome_side",
    '{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price":36,"no_price":64,"count":136,"taker_side":"no","ts":1669149841}}',
    '{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price_dollars":"0.3600","no_price_dollars":"0.6400","count_fp":"136.00","taker_outcome_side":"no","ts_ms":1669149841000}}',
  ],
  [
    "ticker: cents and integer volume vs dollars and fp",
    '{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price":12,"yes_bid":11,"yes_ask":12,"volume":351970,"open_interest":182646,"ts":1732579880}}',
    '{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.120","yes_bid_dollars":"0.1100","yes_ask_dollars":"0.12","volume_fp":"351970.00","open_interest_fp":"182646","time":"2024-11-26T00:11:20Z"}}',
  ],
  [
    "event_lifecycle: sub_title vs subtitle",
    '{"type":"event_lifecycle","sid":1,"msg":{"event_ticker":"E","title":"T","sub_title":"S","series_ticker":"X"}}',
    '{"type":"event_lifecycle","sid":1,"msg":{"event_ticker":"E","title":"T","subtitle":"S","series_ticker":"X"}}',
  ],
  [
    "ok: market_tickers at top level vs in msg",
    '{"id":1,"sid":4,"seq":9,"type":"ok","market_tickers":["A","B"]}',
    '{"id":1,"sid":4,"seq":9,"type":"ok","msg":{"market_tickers":["A","B"]}}',
  ],
  [
    "list_subscriptions: type list_subscriptions vs ok",
    '{"id":3,"type":"list_subscriptions","msg":[{"channel":"trade","sid":1}]}',
    '{"id":3,"type":"ok","msg":[{"channel":"trade","sid":1}]}',
  ],
];

describe("legacy and current shapes give the same values", () => {
  for (const [name, legacy, current] of PAIRS) {
    it(name, () => assert.deepEqual(values(legacy), values(current)));
  }

  it("a trade's taker_outcome_side wins over a contradicting legacy taker_side", () => {
    const trade = message(
      '{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"M","yes_price_dollars":"0.5","count_fp":"1","taker_side":"no","taker_outcome_side":"yes","ts":1}}',
    );
    assert.equal(trade.kind === "trade" && trade.takerSide, "yes");
    assert.equal(trade.kind === "trade" && trade.noPrice, 5000, "no price derived as 1 − yes");
  });

  it("price_dollars '' means never traded, '0.0000' means zero", () => {
    const never = message(
      '{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price":0,"price_dollars":""}}',
    );
    const zero = message('{"type":"ticker","sid":1,"msg":{"market_ticker":"M","price_dollars":"0.0000"}}');
    assert.equal(never.kind === "ticker" && never.price, undefined);
    assert.equal(zero.kind === "ticker" && zero.price, 0);
  });
});

function fixtureFrames(): string[] {
  const dir = new URL("../fixtures/kalshi/", import.meta.url);
  return [
    "captured.frames.jsonl",
    "protocol.frames.jsonl",
    "quirks.frames.jsonl",
    "errors.frames.jsonl",
  ].flatMap((name) =>
    readFileSync(new URL(name, dir), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => (JSON.parse(line) as { frame: string }).frame),
  );
}

const NOISE = ['"', "{", "}", "[", "]", ",", ":", "\\", "-", "1", ".", " ", "x", "null", '""'];

function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const roll = random();
  if (roll < 0.3) return text.slice(0, at);
  if (roll < 0.6) return text.slice(0, at) + text.slice(at + 1);
  const noise = NOISE[Math.floor(random() * NOISE.length)]!;
  return text.slice(0, at) + noise + text.slice(at);
}

describe("never throws", () => {
  it("parseFrame and scanFrameHeader survive 20k seeded mutations of every fixture frame", () => {
    const random = prng(2026);
    const frames = fixtureFrames();
    let failures = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = frames[round % frames.length]!;
      const edits = 1 + Math.floor(random() * 3);
      for (let edit = 0; edit < edits; edit++) text = mutate(text, random);
      const result = parseFrame(text);
      if (!result.ok) {
        failures++;
        assert.equal(result.error.name, "ParseError");
      }
      const header = scanFrameHeader(text);
      if (header !== undefined) assert.equal(typeof header.type, "string");
    }
    assert.ok(failures > 1000, `mutations should break many frames (${failures})`);
  });
});
