/** ssmd sim over real WebSockets on 127.0.0.1: every command, reply and error code, per-sid seq, books that match the exchange. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { connect, type Frame, settle } from "./sim-client.js";

const START = Date.UTC(2026, 10, 21, 17, 0, 0);
const msgOf = (frame: Frame) => frame.msg as Record<string, unknown>;

describe("sim ws: commands and replies", () => {
  let sim: Simulator;
  let tickers: string[];
  before(async () => {
    sim = await startSimulator({
      rate: 0,
      markets: 12,
      startTimeMs: START,
      limits: { maxMarketsPerSubscription: 5 },
    });
    tickers = sim.marketTickers();
  });
  after(() => sim.stop());

  it("subscribes orderbook_delta: snapshot per market, then deltas, one seq stream per sid", async () => {
    const client = await connect(sim);
    const wanted = tickers.slice(0, 3);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: wanted },
    });
    const subscribed = await client.waitFor((f) => f.type === "subscribed");
    assert.deepEqual(subscribed, { id: 1, type: "subscribed", msg: { channel: "orderbook_delta", sid: 1 } });
    const snapshots = await client.waitForCount((f) => f.type === "orderbook_snapshot", 3);
    assert.deepEqual(
      snapshots.map((f) => [f.sid, f.seq, msgOf(f).market_ticker]),
      wanted.map((ticker, i) => [1, i + 1, ticker]),
    );
    sim.step(3000);
    await client.waitForCount((f) => f.type === "orderbook_delta", 20);
    await settle(client);
    const sequenced = client.frames.filter((f) => f.sid === 1 && f.seq !== undefined);
    for (const [i, frame] of sequenced.entries()) assert.equal(frame.seq, i + 1, "contiguous seq");
    for (const frame of client.frames.filter((f) => f.type === "orderbook_delta")) {
      assert.ok(wanted.includes(msgOf(frame).market_ticker as string), "only subscribed markets");
    }
    // The client's book rebuilt from snapshot + deltas equals the exchange's book.
    for (const ticker of wanted) assert.deepEqual(rebuild(client.frames, ticker), sim.orderbook(ticker));
    await client.close();
  });

  it("acks update_subscription and unsubscribe inside the sid's seq stream", async () => {
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: tickers[0] },
    });
    await client.waitFor((f) => f.type === "orderbook_snapshot");
    client.send({
      id: 2,
      cmd: "update_subscription",
      params: { sids: [1], market_tickers: [tickers[1]], action: "add_markets" },
    });
    const ok = await client.waitFor((f) => f.id === 2);
    assert.deepEqual(ok, {
      id: 2,
      sid: 1,
      seq: 2,
      type: "ok",
      msg: { market_tickers: [tickers[0], tickers[1]] },
    });
    const snapshot = await client.waitFor(
      (f) => f.type === "orderbook_snapshot" && msgOf(f).market_ticker === tickers[1],
    );
    assert.equal(snapshot.seq, 3);
    client.send({
      id: 3,
      cmd: "update_subscription",
      params: { sid: 1, market_tickers: [tickers[1]], action: "get_snapshot" },
    });
    assert.deepEqual(await client.waitFor((f) => f.id === 3), {
      id: 3,
      sid: 1,
      seq: 4,
      type: "ok",
      msg: { market_tickers: [tickers[0], tickers[1]] },
    });
    assert.equal((await client.waitFor((f) => f.type === "orderbook_snapshot" && f.seq === 5)).sid, 1);
    client.send({
      id: 4,
      cmd: "update_subscription",
      params: { sid: 1, market_ticker: tickers[0], action: "delete_markets" },
    });
    assert.deepEqual(msgOf(await client.waitFor((f) => f.id === 4)), { market_tickers: [tickers[1]] });
    client.send({ id: 5, cmd: "unsubscribe", params: { sids: [1] } });
    assert.deepEqual(await client.waitFor((f) => f.id === 5), {
      id: 5,
      sid: 1,
      seq: 7,
      type: "unsubscribed",
    });
    client.send({ id: 6, cmd: "list_subscriptions" });
    assert.deepEqual(await client.waitFor((f) => f.id === 6), { id: 6, type: "ok", msg: [] });
    await client.close();
  });

  it("serves ticker with send_initial_snapshot, all-market trade, lifecycle, and merges a repeated subscribe", async () => {
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["ticker"], market_tickers: tickers.slice(0, 2), send_initial_snapshot: true },
    });
    const initial = await client.waitForCount((f) => f.type === "ticker", 2);
    assert.deepEqual(initial.map((f) => msgOf(f).market_ticker).sort(), tickers.slice(0, 2).sort());
    assert.equal(initial[0]!.seq, undefined, "ticker frames carry no seq");
    client.send({ id: 2, cmd: "subscribe", params: { channels: ["ticker"], market_tickers: [tickers[2]] } });
    assert.deepEqual(await client.waitFor((f) => f.id === 2), {
      id: 2,
      type: "subscribed",
      msg: { channel: "ticker", sid: 1 },
    });
    client.send({ id: 3, cmd: "subscribe", params: { channels: ["trade", "market_lifecycle_v2"] } });
    await client.waitForCount((f) => f.id === 3, 2);
    client.send({ id: 4, cmd: "list_subscriptions" });
    assert.deepEqual(msgOf(await client.waitFor((f) => f.id === 4)), [
      { channel: "ticker", sid: 1 },
      { channel: "trade", sid: 2 },
      { channel: "market_lifecycle_v2", sid: 3 },
    ]);
    sim.step(2000);
    const trades = await client.waitForCount((f) => f.type === "trade", 10);
    assert.ok(
      new Set(trades.map((f) => msgOf(f).market_ticker)).size > 3,
      "trade without tickers = all markets",
    );
    for (const frame of client.frames.filter((f) => f.type === "ticker")) {
      assert.ok(tickers.slice(0, 3).includes(msgOf(frame).market_ticker as string));
    }
    await client.close();
  });

  it("pins NO-side prices to the YES scale with use_yes_price", async () => {
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: tickers[4], use_yes_price: true },
    });
    const snapshot = msgOf(await client.waitFor((f) => f.type === "orderbook_snapshot"));
    const book = sim.orderbook(tickers[4]!)!;
    const expected = book.no.map(([p, c]) => [(10_000 - p) / 10_000, c / 100]).sort((a, b) => a[0]! - b[0]!);
    const got = (snapshot.no_dollars_fp as string[][]).map(([p, c]) => [Number(p), Number(c)]);
    assert.deepEqual(got, expected);
    await client.close();
  });

  it("resolves ticker market_ids, honours skip_ticker_ack, and converts NO deltas with use_yes_price", async () => {
    const id = await marketId(sim, tickers[5]!);
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["ticker"], market_ids: [id], send_initial_snapshot: true },
    });
    assert.equal(msgOf(await client.waitFor((f) => f.type === "ticker")).market_ticker, tickers[5]);
    client.send({
      id: 2,
      cmd: "subscribe",
      params: {
        channels: ["orderbook_delta"],
        market_ticker: tickers[6],
        use_yes_price: true,
        skip_ticker_ack: true,
      },
    });
    await client.waitFor((f) => f.type === "orderbook_snapshot");
    client.send({
      id: 3,
      cmd: "update_subscription",
      params: { sid: 2, market_tickers: [tickers[7]], action: "add_markets" },
    });
    const ok = await client.waitFor((f) => f.id === 3);
    assert.equal(ok.type, "ok");
    assert.equal("msg" in ok, false, "skip_ticker_ack omits the market list");
    const plain = await connect(sim);
    plain.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_ticker: tickers[6] },
    });
    await plain.waitFor((f) => f.type === "orderbook_snapshot");
    sim.step(1500);
    const isNo = (f: Frame) =>
      f.type === "orderbook_delta" && msgOf(f).side === "no" && msgOf(f).market_ticker === tickers[6];
    const [converted] = await client.waitForCount(isNo, 1);
    const [original] = await plain.waitForCount(isNo, 1);
    assert.equal(converted!.seq !== undefined, true);
    assert.equal(Number(msgOf(converted!).price_dollars) + Number(msgOf(original!).price_dollars), 1);
    await client.close();
    await plain.close();
  });

  const errorCases: [string, unknown, number][] = [
    ["not JSON", "{nope", 1],
    ["no params", { id: 9, cmd: "subscribe" }, 2],
    ["no channels", { id: 9, cmd: "subscribe", params: {} }, 3],
    ["no sids", { id: 9, cmd: "unsubscribe", params: {} }, 4],
    ["unknown command", { id: 9, cmd: "subscribe_all", params: {} }, 5],
    ["unknown sid", { id: 9, cmd: "unsubscribe", params: { sids: [99] } }, 7],
    ["unknown channel", { id: 9, cmd: "subscribe", params: { channels: ["ticker_v3"] } }, 8],
    [
      "both ticker forms",
      {
        id: 9,
        cmd: "subscribe",
        params: { channels: ["ticker"], market_ticker: "A", market_tickers: ["B"] },
      },
      11,
    ],
    [
      "sid and sids",
      {
        id: 9,
        cmd: "update_subscription",
        params: { sid: 1, sids: [1], action: "add_markets", market_tickers: ["A"] },
      },
      12,
    ],
    [
      "unsupported action",
      { id: 9, cmd: "update_subscription", params: { sid: 1, action: "rename", market_tickers: ["A"] } },
      13,
    ],
    ["orderbook without tickers", { id: 9, cmd: "subscribe", params: { channels: ["orderbook_delta"] } }, 14],
    ["no action", { id: 9, cmd: "update_subscription", params: { sid: 1 } }, 15],
    [
      "unknown market",
      { id: 9, cmd: "subscribe", params: { channels: ["ticker"], market_ticker: "NOPE-26NOV21-T1" } },
      16,
    ],
  ];
  for (const [name, command, code] of errorCases) {
    it(`answers error ${code} for ${name}`, async () => {
      const client = await connect(sim);
      client.send(command);
      const reply = await client.waitFor((f) => f.type === "error");
      assert.equal(msgOf(reply).code, code);
      assert.equal(typeof msgOf(reply).msg, "string");
      if (code !== 1) assert.equal(reply.id, 9);
      if (code === 16) assert.equal(msgOf(reply).market_ticker, "NOPE-26NOV21-T1");
      await client.close();
    });
  }

  it("answers 26 above the per-subscription market limit (also on add_markets)", async () => {
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: tickers.slice(0, 6) },
    });
    assert.equal(msgOf(await client.waitFor((f) => f.id === 1)).code, 26);
    client.send({
      id: 2,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: tickers.slice(0, 5) },
    });
    await client.waitFor((f) => f.id === 2);
    client.send({
      id: 3,
      cmd: "update_subscription",
      params: { sid: 1, market_tickers: [tickers[6]], action: "add_markets" },
    });
    assert.equal(msgOf(await client.waitFor((f) => f.id === 3)).code, 26);
    await client.close();
  });
});

async function marketId(sim: Simulator, ticker: string): Promise<string> {
  const client = await connect(sim);
  client.send({ id: 1, cmd: "subscribe", params: { channels: ["orderbook_delta"], market_ticker: ticker } });
  const snapshot = await client.waitFor((f) => f.type === "orderbook_snapshot");
  await client.close();
  return msgOf(snapshot).market_id as string;
}

/** Applies the frames (snapshot then deltas) for one market; returns bids ascending like the sim. */
function rebuild(frames: Frame[], ticker: string): { yes: [number, number][]; no: [number, number][] } {
  const book = { yes: new Map<number, number>(), no: new Map<number, number>() };
  const units = (text: string, scale: number) => Math.round(Number(text) * scale);
  for (const frame of frames) {
    const msg = msgOf(frame);
    if (msg?.market_ticker !== ticker) continue;
    if (frame.type === "orderbook_snapshot") {
      book.yes.clear();
      book.no.clear();
      for (const side of ["yes", "no"] as const) {
        for (const [p, c] of (msg[`${side}_dollars_fp`] as string[][] | undefined) ?? [])
          book[side].set(units(p!, 10_000), units(c!, 100));
      }
    } else if (frame.type === "orderbook_delta") {
      const side = msg.side as "yes" | "no";
      const price = units(msg.price_dollars as string, 10_000);
      const size = (book[side].get(price) ?? 0) + units(msg.delta_fp as string, 100);
      if (size <= 0) book[side].delete(price);
      else book[side].set(price, size);
    }
  }
  const sorted = (levels: Map<number, number>) => [...levels.entries()].sort((a, b) => a[0] - b[0]);
  return { yes: sorted(book.yes), no: sorted(book.no) };
}
