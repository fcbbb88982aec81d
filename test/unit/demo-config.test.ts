/** `ssmd demo`'s pure parts: option validation, the per-second rate meter, the status channel names. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { channelOf } from "../../src/components/demo/channel-tap.js";
import { DEMO_DEFAULTS, resolveDemoConfig } from "../../src/components/demo/config.js";
import { RateMeter } from "../../src/components/demo/rates.js";

test("resolveDemoConfig: defaults fill what is not given", () => {
  const config = resolveDemoConfig({ dir: "/tmp/x", markets: 7 });
  assert.equal(config.markets, 7);
  assert.equal(config.rate, DEMO_DEFAULTS.rate);
  assert.equal(config.stream, "DEMO_KALSHI");
});

test("resolveDemoConfig: every bad option is listed at once", () => {
  assert.throws(
    () =>
      resolveDemoConfig({
        dir: "/tmp/x",
        markets: 0,
        rate: -1,
        gatewayPort: 70_000,
        seed: 1.5,
        rotation: "5x",
      }),
    (error: Error & { details?: string[] }) => {
      assert.match(error.message, /invalid demo options/);
      const details = error.details?.join("\n") ?? "";
      for (const word of ["markets", "rate", "gateway port", "seed", "rotation"])
        assert.match(details, new RegExp(word));
      return true;
    },
  );
  assert.throws(() => resolveDemoConfig({ dir: "/tmp/x", rotation: "48h" }), /invalid demo options/);
});

test("RateMeter: 0 on the first sample, then the delta per second of each key", () => {
  const meter = new RateMeter();
  assert.deepEqual(meter.sample(1000, { trade: 5 }), { trade: 0 });
  assert.deepEqual(meter.sample(3000, { trade: 25, ticker: 4 }), { trade: 10, ticker: 2 });
  assert.deepEqual(meter.sample(3000, { trade: 30 }), { trade: 0 }); // no time passed: no rate
});

test("channelOf: data channel, status.<kind>, secmaster, other", () => {
  assert.equal(channelOf("demo.kalshi.json.trade.KX-1", "demo.kalshi"), "trade");
  assert.equal(channelOf("demo.kalshi.status.gap", "demo.kalshi"), "status.gap");
  assert.equal(channelOf("demo.kalshi.secmaster.KX-1", "demo.kalshi"), "secmaster");
  assert.equal(channelOf("prod.kalshi.json.trade.KX-1", "demo.kalshi"), "other");
});
