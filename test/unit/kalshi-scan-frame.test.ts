/**
 * scanFrameHeader on its own: key order, whitespace, nesting, escapes, broken text; and
 * channelOfType. (Agreement with parseFrame on every fixture is in kalshi-parse-fixtures.)
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { channelOfType, scanFrameHeader } from "../../src/core/kalshi/scan-frame.js";

function validFrames(): string[] {
  const dir = new URL("../fixtures/kalshi/", import.meta.url);
  return ["captured.frames.jsonl", "protocol.frames.jsonl", "quirks.frames.jsonl"].flatMap((name) =>
    readFileSync(new URL(name, dir), "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { frame: string; expected: { ok: boolean } })
      .filter((fixture) => fixture.expected.ok)
      .map((fixture) => fixture.frame),
  );
}

/** Re-serializes with keys reversed at the top level and inside msg, pretty-printed. */
function reordered(frame: string): string {
  const value = JSON.parse(frame) as Record<string, unknown>;
  const reverse = (object: Record<string, unknown>) => Object.fromEntries(Object.entries(object).reverse());
  const top = reverse(value);
  const msg = top["msg"];
  if (typeof msg === "object" && msg !== null && !Array.isArray(msg)) {
    top["msg"] = reverse(msg as Record<string, unknown>);
  }
  return JSON.stringify(top, null, 2);
}

describe("scanFrameHeader", () => {
  it("reads type, sid, seq, ticker and trade id of a trade", () => {
    const frame =
      '{"type":"trade","sid":2,"seq":49,"msg":{"trade_id":"a6c5","market_ticker":"KXBTCD-26FEB1217-T67749.99","count_fp":"1.00"}}';
    assert.deepEqual(scanFrameHeader(frame), {
      type: "trade",
      sid: 2,
      seq: 49,
      ticker: "KXBTCD-26FEB1217-T67749.99",
      tradeId: "a6c5",
    });
  });

  it("gives the same header whatever the key order and whitespace", () => {
    for (const frame of validFrames()) {
      assert.deepEqual(scanFrameHeader(reordered(frame)), scanFrameHeader(frame), frame);
    }
  });

  it("ignores keys of nested objects and keys inside string values", () => {
    const frame =
      '{"msg":{"selected_markets":[{"market_ticker":"LEG","type":"x"}],"note":"\\"market_ticker\\":\\"FAKE\\"","additional_metadata":{"event_ticker":"E","sid":5},"market_ticker":"REAL"},"type":"multivariate_lookup","sid":13}';
    assert.deepEqual(scanFrameHeader(frame), { type: "multivariate_lookup", sid: 13, ticker: "REAL" });
  });

  it("uses the event ticker for event messages and the msg sid for subscribed", () => {
    assert.equal(
      scanFrameHeader('{"type":"event_fee_update","sid":5,"msg":{"event_ticker":"KXBTCD-26MAY2018"}}')
        ?.ticker,
      "KXBTCD-26MAY2018",
    );
    assert.deepEqual(scanFrameHeader('{"id":1,"type":"subscribed","msg":{"channel":"ticker","sid":42}}'), {
      type: "subscribed",
      id: 1,
      sid: 42,
    });
  });

  it("decodes escaped strings", () => {
    assert.equal(scanFrameHeader('{"type":"ticker","msg":{"market_ticker":"A\\u002DB"}}')?.ticker, "A-B");
  });

  it("returns undefined for text that is not an object with a string type", () => {
    for (const text of [
      "",
      "[]",
      "null",
      '{"sid":1}',
      '{"type":1}',
      '{"type":"ticker"',
      '{"type":"ticker","msg":{"market_ticker":"A"}',
      '{"type":"ticker" "sid":1}',
      '{"type":"tick',
    ]) {
      assert.equal(scanFrameHeader(text), undefined, text);
    }
  });

  it("leaves out sid/seq/id that are not non-negative integers", () => {
    assert.deepEqual(scanFrameHeader('{"type":"ticker","sid":"1","seq":1.5,"id":-2,"msg":{}}'), {
      type: "ticker",
    });
  });
});

describe("channelOfType", () => {
  it("maps Kalshi types to ssmd subject channels", () => {
    const expected: Record<string, string | undefined> = {
      trade: "trade",
      ticker: "ticker",
      ticker_v2: "ticker",
      orderbook_snapshot: "orderbook",
      orderbook_delta: "orderbook",
      market_lifecycle_v2: "lifecycle",
      event_lifecycle: "lifecycle",
      multivariate_market_lifecycle: "lifecycle",
      event_fee_update: "lifecycle",
      subscribed: undefined,
      ok: undefined,
      error: undefined,
      fill: undefined,
      toString: undefined,
    };
    for (const [type, channel] of Object.entries(expected)) assert.equal(channelOfType(type), channel, type);
    assert.equal(channelOfType("__proto__"), undefined);
  });
});
