/** ssmd sim over real WebSockets on 127.0.0.1: signed handshake, auth modes, command rate limit, pings, determinism by seed. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { connect, type Frame, settle, signedHeaders, sleep } from "./sim-client.js";

const START = Date.UTC(2026, 10, 21, 17, 0, 0);
const msgOf = (frame: Frame) => frame.msg as Record<string, unknown>;

describe("sim ws: handshake auth", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ rate: 0, markets: 5 });
  });
  after(() => sim.stop());

  it("refuses an unsigned upgrade with 401", async () => {
    await assert.rejects(connect(sim, null), /HTTP 401/);
  });

  it("refuses a bad signature, a foreign key id and a stale timestamp with 401", async () => {
    const good = signedHeaders(sim);
    await assert.rejects(
      connect(sim, {
        ...good,
        "KALSHI-ACCESS-SIGNATURE": `${good["KALSHI-ACCESS-SIGNATURE"]!.slice(0, -8)}AAAAAAA=`,
      }),
      /HTTP 401/,
    );
    await assert.rejects(
      connect(sim, { ...good, "KALSHI-ACCESS-KEY": "a952bcbe-ec3b-4b5b-b8f9-11dae589608c" }),
      /HTTP 401/,
    );
    await assert.rejects(
      connect(sim, signedHeaders(sim, "/trade-api/ws/v2", Date.now() - 3_600_000)),
      /HTTP 401/,
    );
    // Signed for another path: the payload differs, so the signature does not verify.
    await assert.rejects(connect(sim, signedHeaders(sim, "/trade-api/v2/markets")), /HTTP 401/);
  });

  it("accepts a correctly signed upgrade", async () => {
    const client = await connect(sim);
    client.send({ id: 1, cmd: "list_subscriptions" });
    assert.deepEqual(await client.waitFor((f) => f.id === 1), { id: 1, type: "ok", msg: [] });
    await client.close();
  });
});

describe("sim ws: --auth optional (2025 behaviour)", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ rate: 0, markets: 5, auth: "optional" });
  });
  after(() => sim.stop());

  it("lets an unsigned client in, serves public channels and answers 9 for orderbook_delta", async () => {
    const client = await connect(sim, null);
    const [ticker] = sim.marketTickers();
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [ticker] },
    });
    assert.deepEqual(msgOf(await client.waitFor((f) => f.id === 1)), {
      code: 9,
      msg: "Authentication required",
    });
    client.send({ id: 2, cmd: "subscribe", params: { channels: ["ticker"] } });
    assert.equal((await client.waitFor((f) => f.id === 2)).type, "subscribed");
    await client.close();
  });

  it("still refuses wrong credentials with 401, and lets signed clients use orderbook_delta", async () => {
    await assert.rejects(
      connect(sim, { ...signedHeaders(sim), "KALSHI-ACCESS-KEY": "someone-else" }),
      /HTTP 401/,
    );
    const client = await connect(sim);
    client.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: sim.marketTickers().slice(0, 1) },
    });
    assert.equal((await client.waitFor((f) => f.id === 1)).type, "subscribed");
    await client.close();
  });
});

describe("sim ws: command rate limit and pings", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({
      rate: 0,
      markets: 3,
      pingIntervalMs: 100,
      limits: { commandsPerSecond: 5 },
    });
  });
  after(() => sim.stop());

  it("answers 27 when commands come faster than the limit", async () => {
    const client = await connect(sim);
    for (let id = 1; id <= 12; id++) client.send({ id, cmd: "list_subscriptions" });
    const errors = await client.waitForCount((f) => f.type === "error", 7);
    assert.ok(errors.every((f) => msgOf(f).code === 27));
    await client.close();
  });

  it("sends Ping frames with payload 'heartbeat' and answers the client's pings", async () => {
    const client = await connect(sim);
    const pong = new Promise<void>((resolve) => client.ws.once("pong", () => resolve()));
    client.ws.ping();
    await pong;
    for (let waited = 0; client.pings.length < 3 && waited < 5000; waited += 50) await sleep(50);
    assert.ok(client.pings.length >= 3, `pings: ${client.pings.length}`);
    assert.ok(client.pings.every((payload) => payload === "heartbeat"));
    await client.close();
  });
});

describe("sim ws: determinism by seed", () => {
  it("gives two simulators with the same seed the same frames", async () => {
    const record = async (seed: number) => {
      const sim = await startSimulator({ rate: 0, seed, markets: 8, startTimeMs: START, record: true });
      const client = await connect(sim);
      const tickers = sim.marketTickers();
      client.send({
        id: 1,
        cmd: "subscribe",
        params: { channels: ["orderbook_delta", "ticker", "trade"], market_tickers: tickers },
      });
      await client.waitForCount((f) => f.type === "orderbook_snapshot", tickers.length);
      sim.step(1500);
      await settle(client);
      // record: the simulator's own log of frames written equals what the client received, in order.
      assert.deepEqual(
        sim.sent().map((frame) => frame.text),
        client.texts,
      );
      assert.ok(sim.sent().every((frame) => frame.connId === 1));
      await client.close();
      await sim.stop();
      return client.texts;
    };
    const [a, b, c] = [await record(11), await record(11), await record(12)];
    assert.ok(a.length > 1000);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.slice(0, 50), c.slice(0, 50));
  });
});
