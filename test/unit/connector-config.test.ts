import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelay } from "../../src/components/connector/backoff.js";
import { resolveConnectorConfig } from "../../src/components/connector/config.js";
import { planChannels, subscribeParams } from "../../src/components/connector/subscriptions.js";
import { ValidationError } from "../../src/core/errors.js";

describe("connector config", () => {
  it("fills defaults and derives the stream over {prefix}.>", () => {
    const config = resolveConnectorConfig({
      feed: "kalshi",
      prefix: "prod.kalshi",
      stream: "PROD_KALSHI",
      channels: ["trade", "trade"],
    });
    assert.deepEqual(config.stream, { name: "PROD_KALSHI", subjects: ["prod.kalshi.>"], storage: "file" });
    assert.deepEqual(config.channels, ["trade"]);
    assert.equal(config.maxMarketsPerConnection, 200);
    assert.equal(config.watchdog.staleAfterMs, 30_000);
    assert.equal(config.publisher.maxInFlight, 2048);
  });

  it("lists every problem at once", () => {
    try {
      resolveConnectorConfig({
        feed: "",
        prefix: "bad prefix.>",
        stream: "S",
        channels: ["orderbok_delta"],
        maxMarketsPerConnection: 0,
      });
      assert.fail("expected a ValidationError");
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.problems.length, 4, error.problems.join("\n"));
      assert.ok(error.problems.some((problem) => problem.includes("orderbok_delta")));
    }
  });
});

describe("channel plan", () => {
  it("keeps lifecycle firehose and orderbook per market; ticker/trade follow the filter", () => {
    const channels = ["orderbook_delta", "ticker", "trade", "market_lifecycle_v2"];
    assert.deepEqual(planChannels(channels, false), {
      firehose: ["ticker", "trade", "market_lifecycle_v2"],
      perMarket: ["orderbook_delta"],
    });
    assert.deepEqual(planChannels(channels, true), {
      firehose: ["market_lifecycle_v2"],
      perMarket: ["orderbook_delta", "ticker", "trade"],
    });
  });

  it("pins use_yes_price on books and asks for the initial ticker snapshot", () => {
    assert.deepEqual(subscribeParams("orderbook_delta", ["A"]), {
      channels: ["orderbook_delta"],
      market_tickers: ["A"],
      use_yes_price: false,
    });
    assert.deepEqual(subscribeParams("ticker", ["A"]), {
      channels: ["ticker"],
      market_tickers: ["A"],
      send_initial_snapshot: true,
    });
    assert.deepEqual(subscribeParams("trade", undefined), { channels: ["trade"] });
  });
});

describe("reconnect backoff", () => {
  it("doubles from the base up to the cap, with jitter in [½, 1] of the step", () => {
    assert.equal(
      backoffDelay(0, 250, 30_000, () => 0),
      125,
    );
    assert.equal(
      backoffDelay(0, 250, 30_000, () => 1),
      250,
    );
    assert.equal(
      backoffDelay(3, 250, 30_000, () => 1),
      2000,
    );
    assert.equal(
      backoffDelay(20, 250, 30_000, () => 1),
      30_000,
    );
    assert.equal(
      backoffDelay(1000, 250, 30_000, () => 0.5),
      22_500,
    );
  });
});
