/**
 * Live re-sharding: with a series filter the connector resolves the open markets through REST,
 * adds markets announced by lifecycle created/activated messages (update_subscription
 * add_markets, or a new connection when every shard is full) and drops determined/settled ones —
 * without a restart. Real simulator, real nats-server.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SERIES } from "../../src/components/sim/catalog.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { checkCoverage, readStream } from "./connector-check.js";
import { sleep, startPipeline, until } from "./connector-harness.js";

let nats: TestNatsServer;
before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.cleanup();
});

describe("connector live market changes", () => {
  it("subscribes newly listed markets and drops determined ones", async () => {
    const pipeline = await startPipeline(
      nats.url,
      { markets: 4, rate: 0, lifecycleIntervalMs: 500 },
      { tickers: [], series: SERIES.map((series) => series.ticker), maxMarketsPerConnection: 3 },
    );
    const initial = new Set(pipeline.sim.marketTickers());
    assert.equal(pipeline.connector.stats().markets, initial.size, "open markets resolved through REST");
    for (let batch = 0; batch < 40; batch += 1) {
      pipeline.sim.step(100);
      await sleep(25);
    }
    await until(() => pipeline.connector.stats().buffered === 0 && pipeline.connector.stats().inFlight === 0);
    await sleep(300);
    const listedLater = pipeline.sim.marketTickers().filter((ticker) => !initial.has(ticker));
    assert.ok(listedLater.length > 0, "the simulator listed new markets");
    assert.equal(
      pipeline.connector.stats().markets,
      pipeline.sim.marketTickers().length,
      "subscribed markets follow the exchange's active markets",
    );
    await pipeline.stop();
    const stored = await readStream(pipeline.bus, pipeline.stream);
    await pipeline.bus.close();
    const report = checkCoverage(pipeline.sim.sent(), stored, pipeline.prefix);
    assert.equal(report.missing, 0);

    const lifecycle = stored.filter((m) => m.subject.includes(".json.lifecycle."));
    const created = lifecycle.filter((m) => m.text.includes('"event_type":"created"'));
    const determined = lifecycle.filter((m) => m.text.includes('"event_type":"determined"'));
    assert.ok(created.length > 0 && determined.length > 0, "lifecycle messages stored");
    const newBooks = listedLater.filter((ticker) =>
      stored.some(
        (m) =>
          m.text.startsWith('{"type":"orderbook_snapshot"') && m.text.includes(`"market_ticker":"${ticker}"`),
      ),
    );
    assert.ok(newBooks.length > 0, "a market listed live got its order book subscribed");
  });

  it("resolves a category filter to its series' open markets through REST", async () => {
    const crypto = SERIES.filter((series) => series.category === "Crypto").map((series) => series.ticker);
    const pipeline = await startPipeline(
      nats.url,
      { markets: 12, rate: 0 },
      { tickers: [], categories: ["Crypto"], channels: ["orderbook_delta", "trade"] },
    );
    const expected = pipeline.sim
      .marketTickers()
      .filter((ticker) => crypto.some((series) => ticker.startsWith(`${series}-`)));
    assert.ok(expected.length > 0 && expected.length < 12, "some, not all, markets are crypto");
    assert.equal(pipeline.connector.stats().markets, expected.length);
    pipeline.sim.step(300);
    await until(() => pipeline.connector.stats().published > 0);
    await sleep(300);
    await pipeline.stop();
    const stored = await readStream(pipeline.bus, pipeline.stream);
    await pipeline.bus.close();
    const tickers = new Set(stored.map((m) => m.subject.split(".").pop()));
    for (const token of tickers) {
      assert.ok(
        expected.some((ticker) => ticker.replaceAll(".", "_") === token),
        `only crypto markets, got ${token}`,
      );
    }
  });
});
