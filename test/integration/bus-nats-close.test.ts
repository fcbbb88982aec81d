/**
 * close() must finish when NATS is gone: a component stopping on SIGTERM during an outage closes
 * its bus last, and a close that waits for a server that never comes back keeps the process alive.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { startNatsServer } from "../helpers/nats-server.js";

test("close() returns promptly while the bus is reconnecting to a stopped server", async () => {
  const server = await startNatsServer();
  const bus = await connectNatsBus({ url: server.url, name: "close-test", logger: silentLogger });
  await bus.ensureStream({ name: "CLOSE_TEST", subjects: ["close.>"] });
  const stream = await bus.consume({ stream: "CLOSE_TEST", durable: "c1" });
  await server.stop();
  for (let i = 0; i < 100 && bus.isConnected(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(bus.isConnected(), false, "the bus noticed the outage");
  const started = performance.now();
  await bus.close();
  const tookMs = performance.now() - started;
  assert.ok(tookMs < 8000, `close() took ${Math.round(tookMs)} ms`);
  await stream.close();
  await server.cleanup();
});
