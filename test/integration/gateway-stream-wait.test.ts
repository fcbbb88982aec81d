/**
 * A gateway started before the connector has created its stream waits for it (real
 * nats-server): it listens at once, /ready is 503 and /health says why, a warn line is logged;
 * once the stream appears it reads it and serves books. stop() during the wait returns at once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { createLogger, silentLogger } from "../../src/adapters/log.js";
import { resolveGatewayConfig } from "../../src/components/gateway/config.js";
import { createGateway } from "../../src/components/gateway/gateway.js";
import { Publisher, snapshotFrame, TestClient, waitUntil, wsUrl } from "../helpers/gateway-harness.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";

const TICKER = "KXWAIT-26NOV21-T1";

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("gateway waiting for its stream", () => {
  let nats: TestNatsServer;
  let gatewayBus: Bus;
  let publisherBus: Bus;

  before(async () => {
    nats = await startNatsServer();
    gatewayBus = await connectNatsBus({ url: nats.url, name: "gw-wait", logger: silentLogger });
    publisherBus = await connectNatsBus({ url: nats.url, name: "gw-wait-pub", logger: silentLogger });
  });
  after(async () => {
    await gatewayBus.close();
    await publisherBus.close();
    await nats.cleanup();
  });

  it("serves probes while the stream is missing, then reads it once it exists", async () => {
    const lines: string[] = [];
    const logger = createLogger("gateway", { level: "info", write: (line) => lines.push(line) });
    const config = resolveGatewayConfig({
      stream: "GWWAIT",
      prefix: "gwwait.kalshi",
      host: "127.0.0.1",
      port: 0,
    });
    const gateway = createGateway(config, { bus: gatewayBus, logger });
    try {
      await gateway.start();
      const ready = await getJson(`${gateway.url}/ready`);
      assert.equal(ready.status, 503);
      await waitUntil(() => gateway.health().reason !== "catching up with the stream", "a reason");
      const health = await getJson(`${gateway.url}/health`);
      assert.equal(health.status, 200, "alive while waiting (a liveness probe must not restart it)");
      assert.equal(health.body.ready, false);
      assert.match(String(health.body.reason), /stream 'GWWAIT' does not exist yet/);
      assert.ok(
        lines.some((line) => line.includes('"level":"warn"') && line.includes("waiting for the stream")),
        "a warn line says what it waits for",
      );

      await publisherBus.ensureStream({ name: "GWWAIT", subjects: ["gwwait.kalshi.>"], storage: "memory" });
      await new Publisher(publisherBus, "gwwait.kalshi").data(
        "orderbook",
        TICKER,
        snapshotFrame(TICKER, [["0.4200", "3.00"]], []),
      );
      await waitUntil(() => gateway.ready(), "ready once the stream exists", 10_000);
      assert.equal((await getJson(`${gateway.url}/ready`)).status, 200);
      assert.equal(gateway.health().reason, undefined);
      const client = await TestClient.open(`${wsUrl(gateway)}?symbols=${TICKER}`);
      await client.waitFor((events) => events.some((e) => e.type === "orderbook"), "the book");
      assert.deepEqual(client.of("orderbook")[0]!.bids, [[0.42, 3]]);
      client.close();
    } finally {
      await gateway.stop();
    }
  });

  it("stops at once while still waiting", async () => {
    const config = resolveGatewayConfig({
      stream: "GWNEVER",
      prefix: "gwnever.kalshi",
      host: "127.0.0.1",
      port: 0,
    });
    const gateway = createGateway(config, { bus: gatewayBus, logger: silentLogger });
    await gateway.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await gateway.stop();
    assert.ok(Date.now() - started < 1500, `stop took ${Date.now() - started} ms`);
    assert.equal(gateway.failure(), undefined);
  });
});
