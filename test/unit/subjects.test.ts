import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  channelAndToken,
  dataSubject,
  parseSubject,
  secmasterSubject,
  statusSubject,
  tickerToken,
} from "../../src/core/subjects.js";

describe("subjects", () => {
  it("writes '.' in tickers as '_'", () => {
    assert.equal(tickerToken("KXBTCD-26FEB1217-T67749.99"), "KXBTCD-26FEB1217-T67749_99");
    assert.equal(
      dataSubject("prod.kalshi", "trade", "KXBTCD-26FEB1217-T67749.99"),
      "prod.kalshi.json.trade.KXBTCD-26FEB1217-T67749_99",
    );
  });

  it("builds status and secmaster subjects", () => {
    assert.equal(statusSubject("dev.kalshi", "gap"), "dev.kalshi.status.gap");
    assert.equal(secmasterSubject("dev.kalshi", "A.B"), "dev.kalshi.secmaster.A_B");
  });

  it("parses subjects back into parts", () => {
    assert.deepEqual(parseSubject("prod.kalshi.json.orderbook.X-1", "prod.kalshi"), {
      prefix: "prod.kalshi",
      kind: "json",
      channel: "orderbook",
      token: "X-1",
    });
    assert.equal(parseSubject("other.json.trade.X", "prod.kalshi"), undefined);
    assert.deepEqual(channelAndToken("a.b.json.trade.T1"), { channel: "trade", token: "T1" });
    assert.equal(channelAndToken("a.b.status.gap"), undefined);
  });
});
