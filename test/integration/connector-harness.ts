/** Builds sim → connector → real JetStream for the connector integration tests. */
import { randomBytes } from "node:crypto";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { silentLogger } from "../../src/adapters/log.js";
import {
  type Connector,
  type ConnectorConfigInput,
  createConnector,
  resolveConnectorConfig,
} from "../../src/components/connector/index.js";
import { type SimOptions, type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { checkCoverage, readStream } from "./connector-check.js";

export interface Pipeline {
  sim: Simulator;
  bus: Bus;
  connector: Connector;
  prefix: string;
  stream: string;
  /** Stops the connector (drain), then the simulator. */
  stop(): Promise<void>;
}

export async function startPipeline(
  natsUrl: string,
  simOptions: SimOptions,
  overrides: Partial<ConnectorConfigInput> = {},
): Promise<Pipeline> {
  const id = randomBytes(3).toString("hex");
  const prefix = `t${id}.kalshi`;
  const stream = `T_${id.toUpperCase()}`;
  const sim = await startSimulator({ seed: 11, record: true, ...simOptions });
  const credentials = await loadCredentials({ apiKey: sim.apiKeyId, privateKeyPem: sim.privateKeyPem });
  const bus = await connectNatsBus({
    url: natsUrl,
    name: `test-${id}`,
    logger: silentLogger,
    reconnectWaitMs: 100,
  });
  const config = resolveConnectorConfig({
    feed: "kalshi-sim",
    prefix,
    stream,
    channels: ["orderbook_delta", "ticker", "trade", "market_lifecycle_v2"],
    tickers: sim.marketTickers(),
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
    ...overrides,
  });
  const endpoints = { wsUrl: sim.wsUrl, restUrl: sim.restUrl, credentials };
  const connector = createConnector(config, { bus, logger: silentLogger, endpoints });
  await connector.start();
  return {
    sim,
    bus,
    connector,
    prefix,
    stream,
    async stop() {
      await connector.stop();
      await sim.stop();
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `predicate` holds (polling), or throws after timeoutMs. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Waits until the connector has nothing in flight or buffered (and, with `connected`, every shard
 * is connected), then a short grace for the stream to settle.
 */
export async function settle(pipeline: Pipeline, options: { connected?: boolean; timeoutMs?: number } = {}) {
  await until(
    () => {
      const stats = pipeline.connector.stats();
      const idle = stats.inFlight === 0 && stats.buffered === 0;
      return idle && (!options.connected || stats.connectedShards === stats.shards);
    },
    options.timeoutMs ?? 10_000,
    options.connected ? "connector idle and connected" : "publisher idle",
  );
  await sleep(100);
}

/** Stops the pipeline, reads the whole stream back and checks the connector's coverage promise. */
export async function finish(pipeline: Pipeline) {
  await pipeline.stop();
  const stored = await readStream(pipeline.bus, pipeline.stream);
  await pipeline.bus.close();
  return { stored, report: checkCoverage(pipeline.sim.sent(), stored, pipeline.prefix) };
}
