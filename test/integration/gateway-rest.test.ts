/**
 * Gateway REST routes: health, market list (search), market detail with live top of book,
 * recent trades, order book (depth), price history; 404 with a suggestion, 400 on bad
 * parameters, 405 on other methods, the dashboard files and the probes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../../src/components/gateway/gateway.js";
import {
  MemoryGateway,
  snapshotFrame,
  tickerFrame,
  tradeFrame,
  waitUntil,
} from "../helpers/gateway-harness.js";

const BTC = "KXBTCD-26NOV21-T67749.99";
const ETH = "KXETHD-26NOV21-T3500";

async function get(
  gateway: Gateway,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("gateway REST", () => {
  let gw: MemoryGateway;

  before(async () => {
    gw = await MemoryGateway.start("REST");
    await gw.publisher.data(
      "orderbook",
      BTC,
      snapshotFrame(
        BTC,
        [
          ["0.4100", "5.00"],
          ["0.4525", "10.50"],
        ],
        [
          ["0.5000", "3.00"],
          ["0.4975", "7.25"],
        ],
      ),
    );
    await gw.publisher.data("ticker", ETH, tickerFrame(ETH, "0.6100", "0.6000", "0.6200", "1234.50"));
    for (let i = 0; i < 5; i++) {
      await gw.publisher.data(
        "trade",
        BTC,
        tradeFrame(BTC, `trade-${i}`, `0.45${i}5`, `${i + 1}.50`, i % 2 ? "no" : "yes"),
      );
    }
    await waitUntil(() => gw.gateway.store.market(BTC)?.tradeCount === 5, "trades");
  });
  after(() => gw.stop());

  it("GET /v1/health and the probes", async () => {
    const health = await get(gw.gateway, "/v1/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.ok, true);
    assert.equal(health.body.markets, 2);
    assert.equal(health.body.books_live, 1);
    assert.equal(health.body.connector, "connected");
    assert.equal((await fetch(`${gw.gateway.url}/ready`)).status, 200);
    assert.equal((await fetch(`${gw.gateway.url}/health`)).status, 200);
    assert.match(
      await (await fetch(`${gw.gateway.url}/metrics`)).text(),
      /ssmd_gateway_feed_messages_total\{channel="trade"\} 5/,
    );
  });

  it("GET /v1/markets lists markets with live top of book, searchable", async () => {
    const all = await get(gw.gateway, "/v1/markets");
    assert.equal(all.body.count, 2);
    const list = all.body.markets as Record<string, unknown>[];
    const btc = list.find((m) => m.ticker === BTC)!;
    assert.deepEqual(
      {
        bid: btc.bid,
        bid_size: btc.bid_size,
        ask: btc.ask,
        ask_size: btc.ask_size,
        last: btc.last,
        state: btc.state,
      },
      { bid: 0.4525, bid_size: 10.5, ask: 0.5, ask_size: 3, last: 0.4545, state: "live" },
    );
    assert.equal(btc.volume, 1.5 + 2.5 + 3.5 + 4.5 + 5.5);
    const eth = list.find((m) => m.ticker === ETH)!;
    assert.deepEqual(
      { bid: eth.bid, ask: eth.ask, volume: eth.volume, state: eth.state },
      { bid: 0.6, ask: 0.62, volume: 1234.5, state: "waiting" },
    );
    const search = await get(gw.gateway, "/v1/markets?q=ethd");
    assert.deepEqual(
      (search.body.markets as { ticker: string }[]).map((m) => m.ticker),
      [ETH],
    );
  });

  it("GET /v1/markets/{ticker}, /trades, /orderbook, /prices", async () => {
    const detail = await get(gw.gateway, `/v1/markets/${BTC}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.top_of_book_source, "book");
    assert.deepEqual(detail.body.last_trade, {
      id: "trade-4",
      price: 0.4545,
      size: 5.5,
      side: "yes",
      ts: 1_700_000_000_000,
    });
    const trades = await get(gw.gateway, `/v1/markets/${BTC}/trades?limit=2`);
    assert.deepEqual(
      (trades.body.trades as { id: string }[]).map((t) => t.id),
      ["trade-4", "trade-3"],
    );
    const book = await get(gw.gateway, `/v1/markets/${BTC}/orderbook`);
    assert.deepEqual(book.body.bids, [
      [0.4525, 10.5],
      [0.41, 5],
    ]);
    assert.deepEqual(book.body.asks, [
      [0.5, 3],
      [0.5025, 7.25],
    ]);
    const top = await get(gw.gateway, `/v1/markets/${BTC}/orderbook?depth=1`);
    assert.deepEqual(top.body.bids, [[0.4525, 10.5]]);
    assert.deepEqual(top.body.asks, [[0.5, 3]]);
    const prices = await get(gw.gateway, `/v1/markets/${BTC}/prices`);
    assert.equal((prices.body.prices as unknown[]).length, 5);
    const waiting = await get(gw.gateway, `/v1/markets/${ETH}/orderbook`);
    assert.deepEqual(
      { state: waiting.body.state, reason: waiting.body.reason, bids: waiting.body.bids },
      { state: "waiting", reason: "no snapshot yet", bids: [] },
    );
  });

  it("errors: 404 with a suggestion, 400 on bad parameters, 405 on any method but GET/HEAD", async () => {
    const missing = await get(gw.gateway, "/v1/markets/KXBTCD-26NOV21-T67749.9");
    assert.equal(missing.status, 404);
    assert.match(JSON.stringify(missing.body), /Did you mean 'KXBTCD-26NOV21-T67749.99'/);
    const bad = await get(gw.gateway, `/v1/markets/${BTC}/trades?limit=abc`);
    assert.equal(bad.status, 400);
    assert.match(String((bad.body.error as { message: string }).message), /limit must be an integer/);
    const badEscape = await get(gw.gateway, "/v1/markets/KX%E0%A4%A");
    assert.equal(badEscape.status, 400, "malformed percent-encoding is the client's error, not a 500");
    const noRoute = await get(gw.gateway, "/v1/nothing");
    assert.equal(noRoute.status, 404);
    const post = await fetch(`${gw.gateway.url}/v1/markets`, { method: "POST" });
    assert.equal(post.status, 405);
    for (const path of ["/", "/dashboard.js", "/health", "/metrics"]) {
      const other = await fetch(`${gw.gateway.url}${path}`, { method: "DELETE" });
      assert.equal(other.status, 405, `DELETE ${path}`);
      assert.equal(other.headers.get("allow"), "GET, HEAD");
    }
  });

  it("serves the dashboard from memory", async () => {
    const page = await fetch(`${gw.gateway.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await page.text(), /<script src="\/dashboard.js">/);
    const script = await fetch(`${gw.gateway.url}/dashboard.js`);
    assert.match(await script.text(), /\/v1\/stream/);
  });
});
