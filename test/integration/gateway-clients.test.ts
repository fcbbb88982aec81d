/**
 * Gateway clients: bad input gets error events (and the connection stays usable), limits
 * (symbols, payload size, API keys, idle), many clients at once, and drain on stop.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  MemoryGateway,
  snapshotFrame,
  TestClient,
  tradeFrame,
  waitUntil,
  wsUrl,
} from "../helpers/gateway-harness.js";

const TICKERS = ["KXBTCD-26NOV21-T67749.99", "KXETHD-26NOV21-T3500", "KXFED-26DEC-H0"];

describe("gateway client protocol", () => {
  let gw: MemoryGateway;

  before(async () => {
    gw = await MemoryGateway.start("CLIENTS", {
      limits: { maxSymbols: 2, maxPayloadBytes: 1024, pingIntervalMs: 100, idleTimeoutMs: 400 },
    });
    await gw.seed(
      TICKERS.map((ticker) => [
        "orderbook",
        ticker,
        snapshotFrame(ticker, [["0.4525", "10.50"]], [["0.5000", "3.00"]]),
      ]),
    );
  });
  after(() => gw.stop());

  it("answers bad requests with error events and keeps the connection", async () => {
    const client = await gw.client();
    client.send("{not json");
    client.send({ action: "dance", symbols: ["X"] });
    client.send({ action: "subscribe", symbols: "KXFED-26DEC-H0" });
    client.send({ action: "subscribe", symbols: ["KXFED-26DEC-H0"], channels: ["book"] });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.send({ action: "subscribe", symbols: ["KXBTCD-26NOV21-T67749.9"] });
    client.send({ action: "subscribe", symbols: TICKERS });
    await client.waitFor((events) => events.length >= 7, "seven errors");
    const codes = client.events.map((event) => event.code);
    assert.deepEqual(codes, [
      "malformed_json",
      "bad_request",
      "bad_request",
      "unknown_channel",
      "bad_request",
      "unknown_symbol",
      "too_many_symbols",
    ]);
    const unknown = client.events[5]!;
    assert.deepEqual(unknown.suggestions, { "KXBTCD-26NOV21-T67749.9": "KXBTCD-26NOV21-T67749.99" });
    assert.match(String(unknown.message), /did you mean 'KXBTCD-26NOV21-T67749.99'/);
    assert.match(String(client.events[6]!.message), /at most 2 symbols/);
    // Still usable: a valid subscribe gets its snapshot.
    client.send({ action: "subscribe", symbols: ["KXFED-26DEC-H0"], channels: ["orderbook"] });
    await client.waitFor((events) => events.some((e) => e.type === "orderbook"), "snapshot");
    const book = client.of("orderbook")[0]!;
    assert.deepEqual(book.bids, [[0.4525, 10.5]]);
    assert.deepEqual(book.asks, [[0.5, 3]]);
    // Unsubscribe: no more events for it.
    client.send({ action: "unsubscribe", symbols: ["KXFED-26DEC-H0"] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = client.events.length;
    await gw.publisher.data(
      "orderbook",
      "KXFED-26DEC-H0",
      snapshotFrame("KXFED-26DEC-H0", [["0.4600", "1.00"]], []),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.events.length, count);
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(metrics, /ssmd_gateway_bad_requests_total\{code="unknown_symbol"\} 1/);
    client.close();
  });

  it("closes a client that sends more than maxPayload (1009)", async () => {
    const client = await gw.client();
    client.send({ action: "subscribe", symbols: ["x".repeat(2000)] });
    await client.closed;
    assert.equal(client.closeCode, 1009);
  });

  it("closes a client that stops answering pings (4003)", async () => {
    const client = await gw.client("", { autoPong: false });
    await client.closed;
    assert.equal(client.closeCode, 4003);
    assert.match(client.closeReason, /idle timeout/);
    const healthy = await gw.client();
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(healthy.closeCode, undefined, "a client answering pings stays");
    healthy.close();
  });

  it("refuses unknown paths on upgrade", async () => {
    await assert.rejects(TestClient.open(wsUrl(gw.gateway, "/v1/nope")), /HTTP 404/);
  });
});

describe("gateway API keys", () => {
  let gw: MemoryGateway;
  before(async () => {
    gw = await MemoryGateway.start("KEYS", { apiKeys: ["secret-key-1"] });
  });
  after(() => gw.stop());

  it("needs a key for the stream and REST, not for /v1/health", async () => {
    await assert.rejects(gw.client(), /HTTP 401/);
    await assert.rejects(gw.client("?api_key=wrong-key-0"), /HTTP 401/);
    const client = await gw.client("?api_key=secret-key-1");
    client.close();
    const withHeader = await gw.client("", { headers: { "X-API-Key": "secret-key-1" } });
    withHeader.close();
    assert.equal((await fetch(`${gw.gateway.url}/v1/markets`)).status, 401);
    assert.equal(
      (await fetch(`${gw.gateway.url}/v1/markets`, { headers: { "x-api-key": "secret-key-1" } })).status,
      200,
    );
    assert.equal((await fetch(`${gw.gateway.url}/v1/health`)).status, 200);
  });
});

describe("many clients and drain", () => {
  const markets = Array.from({ length: 40 }, (_, i) => `KXMANY-26NOV21-T${i}`);
  let gw: MemoryGateway;
  const clients: TestClient[] = [];

  before(async () => {
    gw = await MemoryGateway.start("MANY");
    await gw.seed(
      markets.map((ticker) => [
        "trade",
        ticker,
        tradeFrame(ticker, `seed-${ticker}`, "0.5000", "1.00", "yes"),
      ]),
    );
  });
  after(() => gw.stop());

  it("delivers to 200 clients exactly what each subscribed to", async () => {
    const subscriptions = new Map<TestClient, string[]>();
    for (let i = 0; i < 200; i++) {
      const mine = Array.from({ length: 5 }, (_, k) => markets[(i * 7 + k * 3) % markets.length]!);
      const client = await gw.client(`?symbols=${mine.join(",")}&channels=trade`);
      clients.push(client);
      subscriptions.set(client, [...new Set(mine)]);
    }
    await waitUntil(() => gw.gateway.clients().filter((c) => c.symbols > 0).length === 200, "200 subscribed");
    const perMarket = 10;
    for (let n = 0; n < perMarket; n++) {
      for (const ticker of markets)
        await gw.publisher.data(
          "trade",
          ticker,
          tradeFrame(ticker, `t-${ticker}-${n}`, "0.5100", "2.00", "no"),
        );
    }
    for (const [client, mine] of subscriptions) {
      await client.waitFor((events) => events.length >= mine.length * perMarket, "trades", 10_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const [client, mine] of subscriptions) {
      assert.equal(client.events.length, mine.length * perMarket);
      assert.ok(client.events.every((e) => e.type === "trade" && mine.includes(String(e.ticker))));
    }
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(metrics, /ssmd_gateway_clients_connected 200/);
    const expected = [...subscriptions.values()].reduce((sum, mine) => sum + mine.length * perMarket, 0);
    assert.match(metrics, new RegExp(`ssmd_gateway_messages_sent_total\\{type="trade"\\} ${expected}\n`));
    assert.match(metrics, /ssmd_gateway_subscriptions_active\{symbol="KXMANY-26NOV21-T\d+"\} \d+/);
  });

  it("drains on stop: status shutdown, close 1001, no new connections", async () => {
    const stopped = gw.gateway.stop();
    await Promise.all(clients.map((client) => client.closed));
    await stopped;
    for (const client of clients) {
      assert.equal(client.closeCode, 1001);
      assert.equal(client.events.at(-1)?.state, "shutdown");
    }
    await assert.rejects(gw.client());
  });
});
