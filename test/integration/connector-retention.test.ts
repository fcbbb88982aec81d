/**
 * Issue 4, "create or verify the stream at start (subjects, storage, retention from the
 * environment)": an environment file's transport.retention → streamSpecFor → the connector's
 * ensureStream, checked on a real nats-server through JetStream stream info, for a new stream and
 * for an existing one with other limits (updated in place, messages kept).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect, type NatsConnection, nanos, StorageType } from "nats";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { createLogger, silentLogger } from "../../src/adapters/log.js";
import { createConnector, resolveConnectorConfig } from "../../src/components/connector/index.js";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { loadEnvironmentFile } from "../../src/metadata/load.js";
import { streamSpecFor } from "../../src/metadata/retention.js";
import type { EnvironmentConfig } from "../../src/metadata/types.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";
import { until } from "./connector-harness.js";

let nats: TestNatsServer;
let dir: { path: string; cleanup: () => Promise<void> };
let nc: NatsConnection;
before(async () => {
  nats = await startNatsServer();
  dir = await tempDir("ssmd-retention-");
  nc = await connect({ servers: nats.url });
});
after(async () => {
  await nc.close();
  await nats.cleanup();
  await dir.cleanup();
});

/** Writes and loads a real environment file with this retention block. */
async function environmentWith(retention: string): Promise<EnvironmentConfig> {
  const id = randomBytes(3).toString("hex");
  const text = `name: kalshi-ret${id}
feed: kalshi-sim
schema: trade:v1
transport:
  type: nats
  url: ${nats.url}
  stream: RET_${id.toUpperCase()}
  subject_prefix: ret${id}.kalshi
  retention:
${retention
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
storage: { type: local, path: ./data }
`;
  const path = join(dir.path, `kalshi-ret${id}.yaml`);
  await writeFile(path, text);
  return loadEnvironmentFile(path);
}

interface Running {
  sim: Simulator;
  bus: Bus;
  logs: string[];
  stop(): Promise<void>;
}

/** sim → connector (configured from the environment, as `ssmd connector` does) → nats-server. */
async function runConnector(environment: EnvironmentConfig): Promise<Running> {
  const sim = await startSimulator({ seed: 5, markets: 3, rate: 0 });
  const credentials = await loadCredentials({ apiKey: sim.apiKeyId, privateKeyPem: sim.privateKeyPem });
  const bus = await connectNatsBus({ url: nats.url, name: "retention-test", logger: silentLogger });
  const logs: string[] = [];
  const logger = createLogger("connector", { write: (line) => logs.push(line) });
  const config = resolveConnectorConfig({
    feed: "kalshi-sim",
    prefix: environment.transport.subject_prefix,
    stream: streamSpecFor(environment.transport),
    channels: ["ticker", "trade"],
    tickers: sim.marketTickers(),
  });
  const connector = createConnector(config, {
    bus,
    logger,
    endpoints: { wsUrl: sim.wsUrl, restUrl: sim.restUrl, credentials },
  });
  try {
    await connector.start();
  } catch (error) {
    await bus.close();
    await sim.stop();
    throw error;
  }
  return {
    sim,
    bus,
    logs,
    async stop() {
      await connector.stop();
      await bus.close();
      await sim.stop();
    },
  };
}

function streamReadyLine(logs: string[]): Record<string, unknown> {
  const line = logs
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === "stream ready");
  assert.ok(line, `no "stream ready" log line in:\n${logs.join("")}`);
  return line;
}

describe("connector stream retention from the environment", () => {
  it("creates the stream with the environment's max_age, duplicate window, caps and storage", async () => {
    const environment = await environmentWith(`
max_age: 36h
max_bytes: 256MB
max_messages: 750000
duplicate_window: 45s
replicas: 1
storage: file`);
    const running = await runConnector(environment);
    try {
      const manager = await nc.jetstreamManager();
      const info = await manager.streams.info(environment.transport.stream);
      assert.deepEqual(info.config.subjects, [`${environment.transport.subject_prefix}.>`]);
      assert.equal(info.config.max_age, nanos(36 * 3_600_000));
      assert.equal(info.config.duplicate_window, nanos(45_000));
      assert.equal(info.config.max_bytes, 256 * 1024 * 1024);
      assert.equal(info.config.max_msgs, 750_000);
      assert.equal(info.config.num_replicas, 1);
      assert.equal(info.config.storage, StorageType.File);
      assert.deepEqual(streamReadyLine(running.logs).limits, {
        storage: "file",
        maxAgeMs: 36 * 3_600_000,
        maxBytes: 256 * 1024 * 1024,
        maxMessages: 750_000,
        duplicateWindowMs: 45_000,
        replicas: 1,
      });
      running.sim.step(20);
      await until(
        async () => ((await running.bus.streamInfo(environment.transport.stream))?.messages ?? 0) > 0,
        10_000,
        "frames in the stream",
      );
    } finally {
      await running.stop();
    }
  });

  it("updates an existing stream with other limits in place, keeping its messages", async () => {
    const environment = await environmentWith(`
max_age: 2h
max_bytes: 1GB
duplicate_window: 90s`);
    const name = environment.transport.stream;
    const manager = await nc.jetstreamManager();
    await manager.streams.add({
      name,
      subjects: [`${environment.transport.subject_prefix}.>`],
      max_age: nanos(30 * 86_400_000),
      duplicate_window: nanos(10_000),
    });
    const js = nc.jetstream();
    await js.publish(
      `${environment.transport.subject_prefix}.json.trade.EARLIER`,
      new TextEncoder().encode("{}"),
    );
    const before = await manager.streams.info(name);

    const running = await runConnector(environment);
    try {
      const after = await manager.streams.info(name);
      assert.equal(after.created, before.created, "the same stream, not a recreated one");
      assert.ok(after.state.messages >= 1, "the earlier message is kept");
      assert.equal(after.config.max_age, nanos(2 * 3_600_000));
      assert.equal(after.config.duplicate_window, nanos(90_000));
      assert.equal(after.config.max_bytes, 1024 ** 3);
      assert.equal(after.config.max_msgs, -1, "max_messages 0 = no cap");
      assert.equal(streamReadyLine(running.logs).stream, name);
    } finally {
      await running.stop();
    }
  });

  it("refuses to start when the environment asks for another storage type than the stream has", async () => {
    const environment = await environmentWith("storage: memory");
    const manager = await nc.jetstreamManager();
    await manager.streams.add({
      name: environment.transport.stream,
      subjects: [`${environment.transport.subject_prefix}.>`],
    });
    await assert.rejects(runConnector(environment), /uses file storage; it cannot change to memory/);
  });
});
