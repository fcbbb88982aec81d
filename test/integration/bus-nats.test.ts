/**
 * NATS-only behaviour of the bus adapter on a real nats-server: a server restart mid-stream
 * (publishing resumes, status events fire, a durable consumer keeps receiving) and connection
 * failures mapped to UnavailableError.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus, PublishAck } from "../../src/adapters/bus/types.js";
import { createLogger } from "../../src/adapters/log.js";
import { UnavailableError } from "../../src/core/errors.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { text, timedReader, uniqueName, waitUntil } from "./bus-helpers.js";

let nats: TestNatsServer;
const logger = createLogger("bus-nats-test", { level: "silent" });

before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.cleanup();
});

async function publishWithRetry(bus: Bus, subject: string, body: string, msgId: string): Promise<PublishAck> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await bus.publish(subject, text(body), { msgId, timeoutMs: 1000 });
    } catch (error) {
      assert.ok(error instanceof UnavailableError, `unexpected ${String(error)}`);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

test("server restart mid-stream: status events fire, publishing and a durable consumer resume", async () => {
  const bus = await connectNatsBus({ url: nats.url, name: "restart-test", logger, reconnectWaitMs: 100 });
  const statuses: string[] = [];
  bus.onStatus((status) => statuses.push(status));
  const stream = uniqueName("RESTART");
  const prefix = stream.toLowerCase();
  await bus.ensureStream({ name: stream, subjects: [`${prefix}.>`], storage: "file" });
  const reader = timedReader(await bus.consume({ stream, durable: "archiver", ackWaitMs: 2000 }));
  const live = timedReader(await bus.consume({ stream, deliverFrom: { kind: "new" } }));
  for (let i = 1; i <= 3; i++)
    await bus.publish(`${prefix}.json.trade.A`, text(String(i)), { msgId: `m${i}` });
  for (const message of await reader.take(3)) message.ack();

  await nats.restart();
  await waitUntil(async () => statuses.includes("disconnected"), 5000);
  const acks: PublishAck[] = [];
  for (let i = 4; i <= 6; i++)
    acks.push(await publishWithRetry(bus, `${prefix}.json.trade.A`, String(i), `m${i}`));
  await waitUntil(async () => bus.isConnected(), 10_000);

  assert.ok(statuses.includes("connected"), `statuses: ${statuses.join(",")}`);
  assert.deepEqual(
    acks.map((ack) => ack.seq),
    [4, 5, 6],
  );
  const seen = new Set<number>();
  const deadline = Date.now() + 20_000;
  while (seen.size < 3 && Date.now() < deadline) {
    const message = await reader.read(1000);
    if (!message) continue;
    seen.add(message.seq);
    message.ack();
  }
  assert.deepEqual([...seen].sort(), [4, 5, 6]);
  const liveSeqs: number[] = [];
  while (liveSeqs.length < 6 && Date.now() < deadline) {
    const message = await live.read(1000);
    if (message) liveSeqs.push(message.seq);
  }
  assert.deepEqual(liveSeqs, [1, 2, 3, 4, 5, 6], "the ephemeral reader continues across the restart");
  await bus.close();
});

test("connecting to a port with no server fails with UnavailableError", async () => {
  const port = await freePort();
  await assert.rejects(
    connectNatsBus({ url: `nats://127.0.0.1:${port}`, name: "nobody", logger }),
    UnavailableError,
  );
});

test("a durable on a missing stream is refused with a clear error", async () => {
  const bus = await connectNatsBus({ url: nats.url, name: "missing", logger });
  await assert.rejects(bus.consume({ stream: uniqueName("NOPE"), durable: "x" }), /unknown stream/);
  await bus.close();
});
