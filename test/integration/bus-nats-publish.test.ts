/**
 * The NATS bus's own JetStream publish path (adapters/bus/nats-publish.ts: one ack inbox, one
 * sweep timer) on a real nats-server: callback and promise forms, duplicate acks, a window of
 * thousands in flight, refusal when no stream listens, a timeout while the server is down and
 * publishing again once it is back.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus, PublishAck } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { UnavailableError } from "../../src/core/errors.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { text, uniqueName } from "./bus-helpers.js";

let nats: TestNatsServer;

before(async () => {
  nats = await startNatsServer();
});

after(async () => {
  await nats.cleanup();
});

function publishByCallback(bus: Bus, subject: string, body: string, msgId: string, timeoutMs = 5000) {
  return new Promise<{ error: unknown; ack: PublishAck | undefined }>((resolve) => {
    assert.ok(bus.publishWithCallback, "the NATS bus has the callback form");
    bus.publishWithCallback(subject, text(body), { msgId, timeoutMs }, (error, ack) =>
      resolve({ error, ack }),
    );
  });
}

async function openStream(bus: Bus) {
  const name = uniqueName("PUB");
  const prefix = name.toLowerCase();
  await bus.ensureStream({ name, subjects: [`${prefix}.>`] });
  return { name, prefix };
}

test("callback and promise forms ack in order, a repeated msg id is a duplicate", async () => {
  const bus = await connectNatsBus({ url: nats.url, name: "pub-test", logger: silentLogger });
  const { name, prefix } = await openStream(bus);
  const first = await publishByCallback(bus, `${prefix}.a`, "1", "m1");
  const second = await bus.publish(`${prefix}.a`, text("2"), { msgId: "m2", headers: { "Ssmd-Conn": "c" } });
  const again = await publishByCallback(bus, `${prefix}.a`, "1", "m1");
  assert.equal(first.error, undefined);
  assert.deepEqual(first.ack, { stream: name, seq: 1, duplicate: false });
  assert.deepEqual(second, { stream: name, seq: 2, duplicate: false });
  assert.deepEqual(again.ack, { stream: name, seq: 1, duplicate: true });
  const stored = await bus.getMessage(name, 2);
  assert.equal(stored?.headers["Ssmd-Conn"], "c");
  assert.equal(stored?.headers["Nats-Msg-Id"], "m2");
  await bus.close();
});

test("5,000 publishes in flight at once are all acked with distinct sequences", async () => {
  const bus = await connectNatsBus({ url: nats.url, name: "pub-test", logger: silentLogger });
  const { name, prefix } = await openStream(bus);
  const results = await Promise.all(
    Array.from({ length: 5000 }, (_, i) =>
      publishByCallback(bus, `${prefix}.m${i % 7}`, `{"i":${i}}`, `id-${i}`),
    ),
  );
  assert.ok(results.every((result) => result.error === undefined));
  const seqs = new Set(results.map((result) => result.ack?.seq));
  assert.equal(seqs.size, 5000);
  assert.equal((await bus.streamInfo(name))?.messages, 5000);
  await bus.close();
});

test("no stream on the subject: the callback gets an UnavailableError", async () => {
  const bus = await connectNatsBus({ url: nats.url, name: "pub-test", logger: silentLogger });
  const result = await publishByCallback(bus, `${uniqueName("nobody").toLowerCase()}.x`, "x", "n1");
  assert.ok(result.error instanceof UnavailableError, String(result.error));
  assert.equal(result.ack, undefined);
  await bus.close();
});

test("server down: the publish times out as unavailable; after a restart publishing works again", async () => {
  const bus = await connectNatsBus({
    url: nats.url,
    name: "pub-test",
    logger: silentLogger,
    reconnectWaitMs: 100,
  });
  const { name, prefix } = await openStream(bus);
  await nats.stop();
  const started = Date.now();
  const result = await publishByCallback(bus, `${prefix}.a`, "down", "d1", 300);
  const waited = Date.now() - started;
  assert.ok(result.error instanceof UnavailableError, String(result.error));
  assert.ok(waited >= 250 && waited < 3000, `timed out after ${waited} ms`);
  await nats.start();
  let ack: PublishAck | undefined;
  for (let attempt = 0; attempt < 50 && !ack; attempt++) {
    ack = (await publishByCallback(bus, `${prefix}.a`, "down", "d1", 500)).ack;
  }
  assert.equal(ack?.stream, name);
  const info = await bus.streamInfo(name);
  assert.equal(info?.messages, 1, "the retried msg id is stored once");
  await bus.close();
});
