import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  channelAndToken,
  dataSubject,
  parseSubject,
  secmasterSubject,
  statusSubject,
  streamWildcard,
  tickerToken,
} from "../../src/core/subjects.js";

describe("subjects", () => {
  it("writes '.' in tickers as '_'", () => {
    assert.equal(tickerToken("KXBTCD-26FEB1217-T67749.99"), "KXBTCD-26FEB1217-T67749_99");
    assert.equal(tickerToken("A*B>C D\tE"), "A_B_C_D_E", "wildcards and whitespace never reach a token");
    assert.equal(
      dataSubject("prod.kalshi", "trade", "KXBTCD-26FEB1217-T67749.99"),
      "prod.kalshi.json.trade.KXBTCD-26FEB1217-T67749_99",
    );
  });

  it("builds status and secmaster subjects", () => {
    assert.equal(statusSubject("dev.kalshi", "gap"), "dev.kalshi.status.gap");
    assert.equal(secmasterSubject("dev.kalshi", "A.B"), "dev.kalshi.secmaster.A_B");
    assert.equal(streamWildcard("dev.kalshi"), "dev.kalshi.>");
  });

  it("parses subjects back into parts", () => {
    assert.deepEqual(parseSubject("prod.kalshi.json.orderbook.X-1", "prod.kalshi"), {
      prefix: "prod.kalshi",
      kind: "json",
      channel: "orderbook",
      token: "X-1",
    });
    assert.equal(parseSubject("other.json.trade.X", "prod.kalshi"), undefined);
    assert.deepEqual(parseSubject("prod.kalshi.status.gap", "prod.kalshi"), {
      prefix: "prod.kalshi",
      kind: "status",
      channel: "gap",
      token: "",
    });
    assert.deepEqual(parseSubject("prod.kalshi.secmaster.A_B", "prod.kalshi"), {
      prefix: "prod.kalshi",
      kind: "secmaster",
      channel: "",
      token: "A_B",
    });
    assert.equal(parseSubject("prod.kalshi.json.trade.X.Y", "prod.kalshi"), undefined, "one token too many");
    assert.equal(parseSubject("prod.kalshi.json.trade", "prod.kalshi"), undefined, "no ticker");
    assert.equal(
      parseSubject("prod.kalshiX.json.trade.T", "prod.kalshi"),
      undefined,
      "prefix is whole tokens",
    );
    assert.deepEqual(channelAndToken("a.b.json.trade.T1"), { channel: "trade", token: "T1" });
    assert.equal(channelAndToken("a.b.status.gap"), undefined);
  });
});
