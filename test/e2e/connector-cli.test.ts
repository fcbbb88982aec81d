/**
 * The real `ssmd connector` binary against the simulator and a private nats-server: starts from
 * feed + environment files and env credentials, serves /health /ready /metrics, and on SIGTERM
 * mid-stream drains and exits 0 with every frame the simulator sent in the stream.
 * Needs `npm run build` first.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { captureOutput, runSsmd, spawnSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";
import { checkCoverage, readStream } from "../integration/connector-check.js";

let nats: TestNatsServer;
let sim: Simulator;
let dir: { path: string; cleanup: () => Promise<void> };

/** A feed file for `kalshi-sim`; `extra` adds lines to its one version (e.g. demo endpoints). */
function feedYaml(wsUrl: string, restUrl: string, extra = ""): string {
  return `name: kalshi-sim
type: websocket
status: active
versions:
  - version: v1
    effective_from: 2025-01-01
    protocol: ws
    endpoint: ${wsUrl}
    rest_endpoint: ${restUrl}
${extra}`;
}

function envYaml(natsUrl: string, stream: string, prefix: string, transport = "nats"): string {
  return `name: e2e-sim
feed: kalshi-sim
schema: trade:v1
keys:
  kalshi: { type: api_key, required: true, fields: [api_key, private_key], source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY_PATH" }
subscription: { channels: [ticker, trade, orderbook_delta, market_lifecycle_v2], categories: [], series: [], max_markets_per_connection: 2 }
transport: { type: ${transport}, ${transport === "nats" ? `url: "${natsUrl}", ` : ""}stream: ${stream}, subject_prefix: ${prefix} }
storage: { type: local, path: ./data }
`;
}

before(async () => {
  nats = await startNatsServer();
  dir = await tempDir("ssmd-connector-e2e-");
  sim = await startSimulator({
    markets: 5,
    rate: 400,
    record: true,
    keysDir: join(dir.path, "keys"),
    seed: 5,
  });
  await writeFile(join(dir.path, "kalshi-sim.yaml"), feedYaml(sim.wsUrl, sim.restUrl));
  await writeFile(join(dir.path, "e2e-sim.yaml"), envYaml(nats.url, "E2E_CONN", "e2e.kalshi"));
});

after(async () => {
  await sim.stop();
  await nats.cleanup();
  await dir.cleanup();
});

const credentialsEnv = () => ({
  KALSHI_API_KEY: sim.apiKeyId,
  KALSHI_PRIVATE_KEY_PATH: join(dir.path, "keys", "private-key.pem"),
  LOG_LEVEL: "info",
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** `ssmd connector` arguments for a feed and an environment file in the test dir. */
function connectorArgs(feed: string, env: string, ...extra: string[]): string[] {
  return ["connector", "--feed", join(dir.path, feed), "--env", join(dir.path, env), ...extra];
}

describe("ssmd connector (CLI binary)", () => {
  it("streams into JetStream, serves probes, and drains on SIGTERM mid-stream", async () => {
    const port = await freePort();
    const child = spawnSsmd(
      connectorArgs("kalshi-sim.yaml", "e2e-sim.yaml", "--health-addr", `127.0.0.1:${port}`),
      { env: credentialsEnv() },
    );
    const output = captureOutput(child);
    const exited = once(child, "exit");
    const bus = await connectNatsBus({ url: nats.url, name: "e2e-reader", logger: silentLogger });
    try {
      const deadline = Date.now() + 15_000;
      let health: Record<string, unknown> = {};
      while (Date.now() < deadline) {
        health = await getJson(`http://127.0.0.1:${port}/health`).then(
          (r) => r.body,
          () => ({}),
        );
        const stored = (await bus.streamInfo("E2E_CONN").catch(() => undefined))?.messages ?? 0;
        if (health.connected_shards === 3 && stored > 300) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health.connected_shards, 3, `health: ${JSON.stringify(health)} stderr: ${output.stderr}`);
      assert.equal(health.markets_subscribed, 5);
      assert.equal((await getJson(`http://127.0.0.1:${port}/ready`)).status, 200);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(
        metrics,
        /ssmd_connector_messages_received_total\{type="orderbook_delta",feed="kalshi-sim"\} [1-9]\d*/,
      );
      assert.match(metrics, /ssmd_connector_messages_published_total\{feed="kalshi-sim"\} [1-9]\d*/);
      assert.match(metrics, /ssmd_connector_lag_seconds\{feed="kalshi-sim"\}/);

      child.kill("SIGTERM"); // mid-stream: the simulator keeps generating
      const [code] = await exited;
      assert.equal(code, 0, output.stderr);
      const logs = output.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(logs.some((line) => line.msg === "connected to kalshi" && typeof line.symbols === "number"));
      const stopped = logs.find((line) => line.msg === "connector stopped");
      assert.equal(stopped?.flushed, true);
      assert.ok(!output.stdout.includes("PRIVATE KEY"), "no key material in logs");

      const stored = await readStream(bus, "E2E_CONN");
      const report = checkCoverage(sim.sent(), stored, "e2e.kalshi");
      assert.equal(report.missing, 0, "every frame sent before the sockets closed is in the stream");
      assert.equal(report.storedData, report.sentData);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await bus.close();
    }
  });

  it("uses the demo endpoints with KALSHI_USE_DEMO and only the --tickers markets", async () => {
    const demoFeed = feedYaml(
      "ws://127.0.0.1:9/trade-api/ws/v2",
      "http://127.0.0.1:9/trade-api/v2",
      `    demo_endpoint: ${sim.wsUrl}\n    demo_rest_endpoint: ${sim.restUrl}\n`,
    );
    await mkdir(join(dir.path, "demo"), { recursive: true });
    await writeFile(join(dir.path, "demo", "kalshi-sim.yaml"), demoFeed); // name = file name
    const port = await freePort();
    const tickers = sim.marketTickers().slice(0, 2);
    const child = spawnSsmd(
      connectorArgs(
        "demo/kalshi-sim.yaml",
        "e2e-sim.yaml",
        "--health-addr",
        `127.0.0.1:${port}`,
        "--tickers",
        tickers.join(","),
      ),
      { env: { ...credentialsEnv(), KALSHI_USE_DEMO: "1" } },
    );
    const exited = once(child, "exit");
    const output = captureOutput(child);
    try {
      let health: Record<string, unknown> = {};
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && health.connected_shards !== 1) {
        health = await getJson(`http://127.0.0.1:${port}/health`).then(
          (r) => r.body,
          () => ({}),
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health.connected_shards, 1, `${JSON.stringify(health)} ${output.stderr}`);
      assert.equal(health.markets_subscribed, 2);
      child.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("refuses a memory transport with a clear error", async () => {
    await writeFile(
      join(dir.path, "mem.yaml"),
      envYaml(nats.url, "MEM", "mem.kalshi", "memory").replace("e2e-sim", "mem"),
    );
    const result = await runSsmd(connectorArgs("kalshi-sim.yaml", "mem.yaml"), { env: credentialsEnv() });
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, /only works in-process \(ssmd demo\)/);
  });

  it("fails with exit 5 when required credentials are missing", async () => {
    const result = await runSsmd(
      connectorArgs("kalshi-sim.yaml", "e2e-sim.yaml", "--health-addr", "127.0.0.1:0"),
      { env: { KALSHI_API_KEY: "", KALSHI_PRIVATE_KEY_PATH: "" } },
    );
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, /KALSHI_API_KEY/);
  });

  it("exits 4 when Kalshi rejects the signature", async () => {
    const result = await runSsmd(
      connectorArgs("kalshi-sim.yaml", "e2e-sim.yaml", "--health-addr", "127.0.0.1:0"),
      { env: { ...credentialsEnv(), KALSHI_API_KEY: "not-the-sim-key" }, timeoutMs: 20_000 },
    );
    assert.equal(result.code, 4, result.stderr);
  });
});
