/**
 * A gateway whose feed cannot start (the stream exists but no consumer can be opened) rejects
 * start() and frees its port, instead of leaving an HTTP server that keeps the process alive.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { it } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { resolveGatewayConfig } from "../../src/components/gateway/config.js";
import { createGateway } from "../../src/components/gateway/gateway.js";
import { freePort } from "../helpers/ports.js";

it("start() fails and closes the listener when the feed's consumer cannot be opened", async () => {
  const bus = createMemoryBus();
  await bus.ensureStream({ name: "GWSTART", subjects: ["gwstart.kalshi.>"], storage: "memory" });
  const failing = { ...bus, consume: () => Promise.reject(new Error("consumer refused")) };
  const port = await freePort();
  const gateway = createGateway(
    resolveGatewayConfig({ stream: "GWSTART", prefix: "gwstart.kalshi", host: "127.0.0.1", port }),
    { bus: failing, logger: silentLogger },
  );
  try {
    await assert.rejects(gateway.start(), /consumer refused/);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(port, "127.0.0.1", () => resolve());
    });
    await new Promise((resolve) => probe.close(resolve));
    assert.equal(gateway.ready(), false);
  } finally {
    await gateway.stop();
    await bus.close();
  }
});
