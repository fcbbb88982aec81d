/**
 * Markets without a price show no price: Kalshi's ticker placeholders (last price 0 or "" for a
 * never-traded market, YES bid 0 = no bid, YES ask 1.00 = no ask) reach REST and WebSocket
 * clients as null, never as 0 or 1; a volume of 0 stays a real 0. Frames as captured from Kalshi.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Gateway } from "../../src/components/gateway/gateway.js";
import { MemoryGateway } from "../helpers/gateway-harness.js";

const NEVER = "KXETHD-26FEB1217-T1779.99";
const EMPTY = "KXBRASILEIROGAME-25NOV29CEACRU-CRU";
const NO_QUOTES = "KXBTC15M-26JUL191145-45";
const PULLED = "KXPULLED-26NOV21-T1";

const frames: [string, string][] = [
  [
    NEVER,
    `{"type":"ticker","sid":1,"msg":{"market_id":"d95f43c5-e970-4978-ba0e-5d363d48a7c6","market_ticker":"${NEVER}","price":0,"yes_bid":97,"yes_ask":100,"price_dollars":"0.0000","yes_bid_dollars":"0.9700","yes_ask_dollars":"1.0000","volume":0,"volume_fp":"0.00","open_interest":0,"open_interest_fp":"0.00","dollar_volume":0,"dollar_open_interest":0,"yes_bid_size_fp":"5000.00","yes_ask_size_fp":"0.00","last_trade_size_fp":"0.00","ts":1770897976,"Clock":13281241659}}`,
  ],
  [
    EMPTY,
    `{"type":"ticker","sid":1,"msg":{"market_id":"5f2c3445-bdee-42d8-a8ae-648dd1fedb22","market_ticker":"${EMPTY}","price":0,"yes_bid":37,"yes_ask":43,"price_dollars":"","yes_bid_dollars":"0.3700","yes_ask_dollars":"0.4300","volume":0,"open_interest":0,"dollar_volume":0,"dollar_open_interest":0,"ts":1732579880,"Clock":6598272643}}`,
  ],
  [
    NO_QUOTES,
    `{"type":"ticker","sid":1,"msg":{"dollar_open_interest":309350,"dollar_volume":1116743,"last_trade_size_fp":"0.11","market_id":"e8117a18-7e83-40b4-b2e8-116a8fd494f0","market_ticker":"${NO_QUOTES}","open_interest_fp":"618700.14","price_dollars":"0.9990","time":"2026-07-19T15:45:00.544125Z","ts":1784475900,"ts_ms":1784475900544,"volume_fp":"2233487.48","yes_ask_dollars":"1.0000","yes_ask_size_fp":"0.00","yes_bid_dollars":"0.0000","yes_bid_size_fp":"0.00"}}`,
  ],
  [
    PULLED,
    `{"type":"ticker","sid":1,"msg":{"market_ticker":"${PULLED}","price_dollars":"0.4100","yes_bid_dollars":"0.4000","yes_ask_dollars":"0.4200","yes_bid_size_fp":"10.00","yes_ask_size_fp":"12.00","volume_fp":"50.00","ts_ms":1700000000000}}`,
  ],
  [
    PULLED,
    `{"type":"ticker","sid":1,"msg":{"market_ticker":"${PULLED}","price_dollars":"0.0000","yes_bid_dollars":"0.0000","yes_ask_dollars":"1.0000","yes_bid_size_fp":"0.00","yes_ask_size_fp":"0.00","volume_fp":"50.00","ts_ms":1700000001000}}`,
  ],
];

async function get(gateway: Gateway, path: string): Promise<Record<string, unknown>> {
  return (await (await fetch(`${gateway.url}${path}`)).json()) as Record<string, unknown>;
}

function prices(market: Record<string, unknown>) {
  const { last, bid, bid_size, ask, ask_size, volume } = market;
  return { last, bid, bid_size, ask, ask_size, volume };
}

describe("gateway: unknown prices are null", () => {
  let gw: MemoryGateway;

  before(async () => {
    gw = await MemoryGateway.start("NOPRICE");
    await gw.seed(frames.slice(0, 4).map(([ticker, frame]) => ["ticker", ticker, frame]));
  });
  after(() => gw.stop());

  it("GET /v1/markets: never traded → last null; bid 0 / ask 1.00 / sizes not sent → null; volume 0 stays 0", async () => {
    const list = (await get(gw.gateway, "/v1/markets")).markets as Record<string, unknown>[];
    const byTicker = new Map(list.map((m) => [m.ticker as string, m]));
    assert.deepEqual(prices(byTicker.get(NEVER)!), {
      last: null,
      bid: 0.97,
      bid_size: 5000,
      ask: null,
      ask_size: null,
      volume: 0,
    });
    assert.deepEqual(prices(byTicker.get(EMPTY)!), {
      last: null,
      bid: 0.37,
      bid_size: null,
      ask: 0.43,
      ask_size: null,
      volume: 0,
    });
    assert.deepEqual(prices(byTicker.get(NO_QUOTES)!), {
      last: 0.999,
      bid: null,
      bid_size: null,
      ask: null,
      ask_size: null,
      volume: 2233487.48,
    });
    const detail = await get(gw.gateway, `/v1/markets/${NEVER}`);
    assert.equal(detail.last, null);
    assert.equal(detail.last_trade, null);
    assert.equal(detail.open_interest, 0);
  });

  it("a ticker that pulls its quotes clears bid/ask but keeps the last price", async () => {
    const client = await gw.client(`?symbols=${PULLED}&channels=ticker`);
    await client.waitFor((events) => events.some((e) => e.type === "ticker"), "initial ticker");
    const [ticker, frame] = frames[4]!;
    await gw.publisher.data("ticker", ticker, frame);
    await client.waitFor((events) => events.filter((e) => e.type === "ticker").length === 2, "update");
    const [first, second] = client.of("ticker");
    assert.deepEqual(
      { price: first!.price, bid: first!.bid, ask: first!.ask, bid_size: first!.bid_size },
      { price: 0.41, bid: 0.4, ask: 0.42, bid_size: 10 },
    );
    assert.deepEqual(
      {
        price: second!.price,
        bid: second!.bid,
        ask: second!.ask,
        bid_size: second!.bid_size,
        ask_size: second!.ask_size,
        volume: second!.volume,
      },
      { price: 0.41, bid: null, ask: null, bid_size: null, ask_size: null, volume: 50 },
    );
    assert.deepEqual(prices(await get(gw.gateway, `/v1/markets/${PULLED}`)), {
      last: 0.41,
      bid: null,
      bid_size: null,
      ask: null,
      ask_size: null,
      volume: 50,
    });
    client.close();
  });

  it("WebSocket ticker event for a never-traded market: price null", async () => {
    const client = await gw.client(`?symbols=${NEVER}&channels=ticker`);
    await client.waitFor((events) => events.some((e) => e.type === "ticker"), "ticker");
    const event = client.of("ticker")[0]!;
    assert.equal(event.price, null);
    assert.equal(event.ask, null);
    assert.equal(event.bid, 0.97);
    assert.equal(event.volume, 0);
    client.close();
  });
});
