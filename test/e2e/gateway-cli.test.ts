/**
 * `ssmd gateway` through the real binary against a real nats-server: books built from frames
 * published before it started (start from the stream's first message), live updates over
 * WebSocket, REST, /ready, PORT, SIGTERM drain (close 1001, exit 0), and config errors.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import {
  deltaFrame,
  Publisher,
  snapshotFrame,
  TestClient,
  tradeFrame,
  waitUntil,
} from "../helpers/gateway-harness.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

const STREAM = "E2E_GATEWAY";
const PREFIX = "e2egw.kalshi";
const TICKER = "KXBTCD-26NOV21-T67749.99";

function envYaml(natsUrl: string, transport = "nats", stream = STREAM): string {
  return `name: e2e-gateway
feed: kalshi
schema: trade:v1
keys:
  kalshi: { type: api_key, required: false, fields: [api_key, private_key], source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY_PATH" }
subscription: { channels: [ticker, trade, orderbook_delta], categories: [], series: [], max_markets_per_connection: 200 }
transport: { type: ${transport}, ${transport === "nats" ? `url: "${natsUrl}", ` : ""}stream: ${stream}, subject_prefix: ${PREFIX} }
storage: { type: local, path: ./data }
`;
}

describe("ssmd gateway (CLI, real NATS)", () => {
  let nats: TestNatsServer;
  let dir: { path: string; cleanup: () => Promise<void> };
  let bus: Bus;
  let child: ChildProcess | undefined;
  let output = "";
  let port = 0;

  before(async () => {
    nats = await startNatsServer();
    dir = await tempDir("ssmd-gateway-e2e-");
    await mkdir(join(dir.path, "memory"));
    await writeFile(join(dir.path, "e2e-gateway.yaml"), envYaml(nats.url));
    await writeFile(join(dir.path, "memory", "e2e-gateway.yaml"), envYaml(nats.url, "memory"));
    await mkdir(join(dir.path, "no-stream"));
    await writeFile(
      join(dir.path, "no-stream", "e2e-gateway.yaml"),
      envYaml(nats.url, "nats", "E2E_GATEWAY_NOT_YET"),
    );
    bus = await connectNatsBus({ url: nats.url, name: "gateway-e2e", logger: silentLogger });
    await bus.ensureStream({ name: STREAM, subjects: [`${PREFIX}.>`], storage: "file" });
    const publisher = new Publisher(bus, PREFIX);
    // Published before the gateway starts: it must find this snapshot in the stream.
    await publisher.data(
      "orderbook",
      TICKER,
      snapshotFrame(TICKER, [["0.4525", "10.50"]], [["0.5010", "2.25"]], 1),
    );
    await publisher.data("orderbook", TICKER, deltaFrame(TICKER, "yes", "0.4600", "1.75", 2));
  });
  after(async () => {
    child?.kill("SIGKILL");
    await bus.close();
    await nats.cleanup();
    await dir.cleanup();
  });

  it("--help shows an example", async () => {
    const help = await runSsmd(["gateway", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Example/);
    assert.match(help.stdout, /ssmd gateway --env/);
  });

  it("refuses a memory transport with a clear message", async () => {
    const result = await runSsmd(["gateway", "--env", join(dir.path, "memory", "e2e-gateway.yaml")]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr + result.stdout, /only works in-process/);
  });

  it("waits for a stream the connector has not created yet; SIGTERM during the wait exits 0", async () => {
    const waitPort = await freePort();
    const waiting = spawnSsmd(
      [
        "gateway",
        "--env",
        join(dir.path, "no-stream", "e2e-gateway.yaml"),
        "--host",
        "127.0.0.1",
        "--port",
        String(waitPort),
      ],
      { env: { LOG_LEVEL: "info" } },
    );
    let log = "";
    waiting.stdout?.on("data", (chunk) => {
      log += chunk;
    });
    waiting.stderr?.on("data", (chunk) => {
      log += chunk;
    });
    const exited = new Promise<number | null>((resolve) => waiting.once("exit", (code) => resolve(code)));
    try {
      await waitUntil(() => log.includes("waiting for the stream"), "a warn line while waiting", 15_000);
      assert.match(log, /"level":"warn".*E2E_GATEWAY_NOT_YET/);
      const base = `http://127.0.0.1:${waitPort}`;
      const ready = await fetch(`${base}/ready`);
      assert.equal(ready.status, 503);
      const health = await fetch(`${base}/health`);
      const body = (await health.json()) as { ready: boolean; reason: string };
      assert.equal(health.status, 200);
      assert.equal(body.ready, false);
      assert.match(body.reason, /does not exist yet/);
      waiting.kill("SIGTERM");
      assert.equal(await exited, 0);
      assert.doesNotMatch(log, /does not exist \(start the connector first\)/);
    } finally {
      waiting.kill("SIGKILL");
    }
  });

  it("serves books from the stream, live updates, REST; drains on SIGTERM", async () => {
    port = await freePort();
    child = spawnSsmd(["gateway", "--env", join(dir.path, "e2e-gateway.yaml"), "--host", "127.0.0.1"], {
      env: { PORT: String(port), LOG_LEVEL: "info" },
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(() => output.includes("gateway listening"), "gateway listening", 15_000);
    let ready = false;
    for (let i = 0; i < 100 && !ready; i++) {
      ready = (await fetch(`${base}/ready`)).status === 200;
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(ready, "/ready answers 200 once caught up");
    const client = await TestClient.open(`ws://127.0.0.1:${port}/v1/stream?symbols=${TICKER}`);
    await client.waitFor((events) => events.some((e) => e.type === "orderbook"), "snapshot");
    const snapshot = client.of("orderbook")[0]!;
    assert.deepEqual(snapshot.bids, [
      [0.46, 1.75],
      [0.4525, 10.5],
    ]);
    assert.deepEqual(snapshot.asks, [[0.499, 2.25]]);
    const publisher = new Publisher(bus, PREFIX);
    await publisher.data("orderbook", TICKER, deltaFrame(TICKER, "no", "0.5010", "-2.25", 3));
    await publisher.data("trade", TICKER, tradeFrame(TICKER, "e2e-1", "0.4600", "0.50", "yes"));
    await client.waitFor((events) => events.some((e) => e.type === "trade"), "trade");
    const update = client.of("orderbook")[1]!;
    assert.deepEqual(
      { snapshot: update.snapshot, bids: update.bids, asks: update.asks },
      { snapshot: false, bids: [], asks: [[0.499, 0]] },
    );
    assert.deepEqual(client.of("trade")[0], {
      type: "trade",
      ticker: TICKER,
      price: 0.46,
      size: 0.5,
      side: "yes",
      ts: 1_700_000_000_000,
      id: "e2e-1",
    });
    const market = (await (await fetch(`${base}/v1/markets/${TICKER}`)).json()) as Record<string, unknown>;
    assert.deepEqual(
      { bid: market.bid, ask: market.ask, last: market.last },
      { bid: 0.46, ask: null, last: 0.46 },
    );
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    await client.closed;
    assert.equal(client.closeCode, 1001);
    assert.equal(client.events.at(-1)?.state, "shutdown");
    assert.equal(await exited, 0);
    child = undefined;
    assert.match(output, /"msg":"gateway stopped"/);
  });
});
