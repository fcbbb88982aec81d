/** ssmd sim REST (/trade-api/v2): pagination, filters, vocabularies, 429, and agreement with the WebSocket state. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { connect } from "./sim-client.js";

type Json = Record<string, unknown>;
type Market = Json & { ticker: string; status: string; event_ticker: string };

const START = Date.UTC(2026, 10, 21, 17, 0, 0);

describe("sim rest", () => {
  let sim: Simulator;
  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${sim.restUrl}${path}`, { redirect: "manual" });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  };
  const allMarkets = async (query: string): Promise<Market[]> => {
    const out: Market[] = [];
    let cursor = "";
    for (let page = 0; page < 100; page++) {
      const { status, body } = await get(`/markets?${query}${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(status, 200, JSON.stringify(body));
      out.push(...(body.markets as Market[]));
      cursor = body.cursor as string;
      if (!cursor) return out;
    }
    throw new Error("pagination never ended");
  };

  before(async () => {
    // 23 markets trade at any time; a market closes every 200 simulated ms (2 ms per message).
    sim = await startSimulator({
      rate: 0,
      markets: 23,
      startTimeMs: START,
      lifecycleIntervalMs: 200,
      restRate: 1000,
    });
    sim.step(2000);
  });
  after(() => sim.stop());

  it("pages through every market with a cursor, no duplicates, empty cursor at the end", async () => {
    const markets = await allMarkets("limit=7");
    assert.equal(new Set(markets.map((m) => m.ticker)).size, markets.length);
    assert.ok(markets.length > 23, "listed, closed and settled markets");
    const active = markets.filter((m) => m.status === "active").map((m) => m.ticker);
    assert.deepEqual(active, sim.marketTickers());
  });

  it("maps the status filter vocabulary to the response vocabulary", async () => {
    const open = await allMarkets("status=open&limit=1000");
    assert.ok(open.length === 23 && open.every((m) => m.status === "active"));
    const closed = await allMarkets("status=closed");
    assert.ok(closed.length > 0 && closed.every((m) => m.status === "closed" || m.status === "determined"));
    const settled = await allMarkets("status=settled");
    assert.ok(settled.length > 0 && settled.every((m) => m.status === "finalized" && m.result !== ""));
    const bad = await get("/markets?status=active");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "invalid_parameters");
    assert.equal((await get("/markets?limit=1001")).status, 400);
  });

  it("filters by tickers, event_ticker, series_ticker and close time", async () => {
    const [a, b] = sim.marketTickers();
    const some = await allMarkets(`tickers=${a},${b}`);
    assert.deepEqual(some.map((m) => m.ticker).sort(), [a, b].sort());
    const event = some[0]!.event_ticker;
    assert.ok((await allMarkets(`event_ticker=${event}`)).every((m) => m.event_ticker === event));
    const btc = await allMarkets("series_ticker=KXBTCD");
    assert.ok(btc.length > 0 && btc.every((m) => m.ticker.startsWith("KXBTCD-")));
    const closeTimes = (await allMarkets("status=open")).map(
      (m) => Date.parse(m.close_time as string) / 1000,
    );
    const cut = Math.floor(closeTimes.sort((x, y) => x - y)[10]!);
    const late = await allMarkets(`status=open&min_close_ts=${cut}`);
    assert.ok(late.length > 0 && late.length < 23);
    assert.ok(late.every((m) => Date.parse(m.close_time as string) / 1000 >= cut));
  });

  it("serves one market (tickers with '.') and 404s an unknown one", async () => {
    const dotted = sim.marketTickers().find((t) => t.includes("."))!;
    const { status, body } = await get(`/markets/${dotted}`);
    assert.equal(status, 200);
    assert.equal((body.market as Market).ticker, dotted);
    const missing = await get("/markets/NOPE-1");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, "not_found");
    assert.equal((await get("/markets/")).status, 301);
  });

  it("serves the orderbook as orderbook_fp, bids ascending, agreeing with the exchange book and the WS ticker", async () => {
    const ticker = sim.marketTickers()[3]!;
    const { body } = await get(`/markets/${ticker}/orderbook`);
    const book = body.orderbook_fp as { yes_dollars: string[][]; no_dollars: string[][] };
    const exchange = sim.orderbook(ticker)!;
    const asUnits = (levels: string[][]) =>
      levels.map(([p, c]) => [Math.round(Number(p) * 10_000), Math.round(Number(c) * 100)]);
    assert.deepEqual(asUnits(book.yes_dollars), exchange.yes);
    assert.deepEqual(asUnits(book.no_dollars), exchange.no);
    const top = await get(`/markets/${ticker}/orderbook?depth=2`);
    assert.deepEqual((top.body.orderbook_fp as typeof book).yes_dollars, book.yes_dollars.slice(-2));

    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["ticker"], market_ticker: ticker, send_initial_snapshot: true },
    });
    const frame = await client.waitFor((f) => f.type === "ticker");
    const wsTicker = frame.msg as Json;
    const market = (await get(`/markets/${ticker}`)).body.market as Json;
    for (const key of [
      "yes_bid_dollars",
      "yes_ask_dollars",
      "yes_bid_size_fp",
      "volume_fp",
      "open_interest_fp",
    ]) {
      assert.equal(market[key], wsTicker[key], key);
    }
    assert.equal(market.yes_bid_dollars, book.yes_dollars.at(-1)![0]);
    await client.close();
  });

  it("pages trades newest first and filters by ticker and time", async () => {
    const seen: Json[] = [];
    let cursor = "";
    do {
      const { body } = await get(`/markets/trades?limit=50${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...(body.trades as Json[]));
      cursor = body.cursor as string;
    } while (cursor);
    assert.equal(seen.length, sim.stats().trades);
    const times = seen.map((t) => Date.parse(t.created_time as string));
    assert.ok(
      times.every((time, i) => i === 0 || time <= times[i - 1]!),
      "newest first",
    );
    assert.equal(new Set(seen.map((t) => t.trade_id)).size, seen.length);
    const ticker = seen[0]!.ticker as string;
    const own = await get(`/markets/trades?ticker=${ticker}&limit=1000`);
    assert.ok((own.body.trades as Json[]).every((t) => t.ticker === ticker));
    const middle = Math.floor(times[Math.floor(times.length / 2)]! / 1000);
    const recent = await get(`/markets/trades?min_ts=${middle}&limit=1000`);
    assert.ok(
      (recent.body.trades as Json[]).every((t) => Date.parse(t.created_time as string) >= middle * 1000),
    );
  });

  it("serves events (nested markets), one event, series and the exchange", async () => {
    const { body } = await get("/events?with_nested_markets=true&limit=3");
    const events = body.events as Json[];
    assert.equal(events.length, 3);
    assert.ok(typeof body.cursor === "string" && body.cursor !== "");
    assert.ok((events[0]!.markets as Market[]).every((m) => m.event_ticker === events[0]!.event_ticker));
    const one = await get(`/events/${events[0]!.event_ticker}`);
    assert.equal((one.body.event as Json).event_ticker, events[0]!.event_ticker);
    assert.ok((one.body.markets as Market[]).length > 0);
    const open = await get("/events?status=open");
    assert.ok((open.body.events as Json[]).length > 0);
    const series = await get("/series");
    assert.ok((series.body.series as Json[]).some((s) => s.ticker === "KXBTCD" && s.category === "Crypto"));
    assert.equal(((await get("/series/KXFED")).body.series as Json).ticker, "KXFED");
    assert.equal((await get("/series/NOPE")).status, 404);
    assert.deepEqual((await get("/exchange/status")).body, { exchange_active: true, trading_active: true });
    assert.ok(((await get("/exchange/schedule")).body.schedule as Json).standard_hours);
  });
});

describe("sim rest: token bucket", () => {
  it('answers 429 {"error":"too many requests"} past the rate and recovers', async () => {
    const sim = await startSimulator({ rate: 0, markets: 3, restRate: 5 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${sim.restUrl}/exchange/status`).then(async (r) => [r.status, await r.text()] as const),
        ),
      );
      const refused = statuses.filter(([status]) => status === 429);
      // Burst 10 (2 s × 5/s); a slow machine refills a few tokens while the 20 requests arrive.
      assert.ok(refused.length >= 5 && refused.length <= 10, `refused ${refused.length}`);
      assert.equal(refused[0]![1], '{"error":"too many requests"}');
      await new Promise((resolve) => setTimeout(resolve, 450));
      assert.equal((await fetch(`${sim.restUrl}/exchange/status`)).status, 200);
    } finally {
      await sim.stop();
    }
  });
});

describe("sim probes, control endpoint and legacy REST", () => {
  it("serves /health /ready /metrics, /_sim/stats and /_sim/step, and legacy integer fields", async () => {
    const sim = await startSimulator({ rate: 0, markets: 4, format: "legacy" });
    try {
      const base = sim.restUrl.replace("/trade-api/v2", "");
      assert.equal((await fetch(`${base}/health`)).status, 200);
      assert.deepEqual(await (await fetch(`${base}/ready`)).json(), { ready: true });
      const step = await fetch(`${sim.controlUrl}/step`, {
        method: "POST",
        body: JSON.stringify({ messages: 250 }),
      });
      assert.equal(step.status, 200);
      const stats = (await (await fetch(`${sim.controlUrl}/stats`)).json()) as { messagesGenerated: number };
      assert.ok(stats.messagesGenerated >= 250);
      assert.equal(
        (await fetch(`${sim.controlUrl}/step`, { method: "POST", body: '{"messages":0}' })).status,
        400,
      );
      const ticker = sim.marketTickers()[0]!;
      const market = ((await (await fetch(`${sim.restUrl}/markets/${ticker}`)).json()) as { market: Json })
        .market;
      assert.equal(market.response_price_units, "usd_cent");
      assert.equal(market.yes_bid, Math.round(Number(market.yes_bid_dollars) * 100));
      const book = (await (await fetch(`${sim.restUrl}/markets/${ticker}/orderbook`)).json()) as Json;
      assert.ok(Array.isArray((book.orderbook as { yes: unknown[] }).yes));
      const metrics = await (await fetch(`${base}/metrics`)).text();
      assert.match(metrics, /ssmd_sim_messages_generated_total \d+/);
      assert.match(metrics, /ssmd_sim_rest_requests_total\{route="[a-z_]+",status="200"\}/);
    } finally {
      await sim.stop();
    }
  });
});
