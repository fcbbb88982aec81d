/**
 * The gateway on a real nats-server: it keeps serving across a NATS restart (the ordered
 * consumer resumes where it was; nothing is applied twice or skipped).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import type { Gateway } from "../../src/components/gateway/gateway.js";
import {
  Publisher,
  snapshotFrame,
  startGateway,
  TestClient,
  tradeFrame,
  waitUntil,
  wsUrl,
} from "../helpers/gateway-harness.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";

const TICKER = "KXNATS-26NOV21-T1";

describe("gateway on NATS", () => {
  let nats: TestNatsServer;
  let gatewayBus: Bus;
  let publisherBus: Bus;
  let gateway: Gateway;

  before(async () => {
    nats = await startNatsServer();
    gatewayBus = await connectNatsBus({ url: nats.url, name: "gw-test", logger: silentLogger });
    publisherBus = await connectNatsBus({ url: nats.url, name: "gw-test-pub", logger: silentLogger });
    await publisherBus.ensureStream({ name: "GWNATS", subjects: ["gwnats.kalshi.>"], storage: "file" });
    await new Publisher(publisherBus, "gwnats.kalshi").data(
      "orderbook",
      TICKER,
      snapshotFrame(TICKER, [["0.3000", "4.00"]], []),
    );
    gateway = await startGateway(gatewayBus, "GWNATS", "gwnats.kalshi");
  });
  after(async () => {
    await gateway.stop();
    await gatewayBus.close();
    await publisherBus.close();
    await nats.cleanup();
  });

  it("keeps delivering across a NATS restart", async () => {
    const publisher = new Publisher(publisherBus, "gwnats.kalshi");
    const client = await TestClient.open(`${wsUrl(gateway)}?symbols=${TICKER}&channels=trade,orderbook`);
    await client.waitFor((events) => events.some((e) => e.type === "orderbook"), "snapshot");
    for (let i = 0; i < 5; i++)
      await publisher.data("trade", TICKER, tradeFrame(TICKER, `before-${i}`, "0.3000", "1.00", "yes"));
    await client.waitFor((events) => events.filter((e) => e.type === "trade").length === 5, "trades before");
    await nats.restart();
    await waitUntil(() => publisherBus.isConnected() && gatewayBus.isConnected(), "reconnected", 15_000);
    for (let i = 0; i < 5; i++) {
      await publisher.data("trade", TICKER, tradeFrame(TICKER, `after-${i}`, "0.3100", "1.00", "no"));
    }
    await client.waitFor(
      (events) => events.filter((e) => e.type === "trade").length === 10,
      "trades after restart",
      15_000,
    );
    const ids = client.of("trade").map((e) => e.id);
    assert.deepEqual(ids, [
      ...[0, 1, 2, 3, 4].map((i) => `before-${i}`),
      ...[0, 1, 2, 3, 4].map((i) => `after-${i}`),
    ]);
    assert.equal(gateway.store.market(TICKER)?.state, "live");
    client.close();
  });
});
