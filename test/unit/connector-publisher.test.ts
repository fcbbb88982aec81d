/**
 * The connector's publisher against the real in-memory bus, wrapped so a test can take "NATS"
 * down and bring it back: bounded in-flight window, retries with the same Nats-Msg-Id, bounded
 * buffer with a loss record once the bus is back, flush().
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import type { Bus, PublishAck, PublishOptions } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { Publisher } from "../../src/components/connector/publisher.js";
import type { LossWindow, Outbound } from "../../src/components/connector/publisher-types.js";
import { UnavailableError, ValidationError } from "../../src/core/errors.js";

/** A real memory bus whose publishes fail while `down` is true. */
function switchableBus(inner: Bus) {
  const state = { down: false, inFlight: 0, maxInFlight: 0, attempts: 0, refuse: new Set<string>() };
  const bus: Bus = Object.create(inner);
  bus.publish = async (subject: string, data: Uint8Array, options?: PublishOptions): Promise<PublishAck> => {
    state.attempts += 1;
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      if (state.down) throw new UnavailableError("nats down");
      if (options?.msgId && state.refuse.has(options.msgId))
        throw new ValidationError("maximum payload exceeded");
      return await inner.publish(subject, data, options);
    } finally {
      state.inFlight -= 1;
    }
  };
  return { bus, state };
}

const encoder = new TextEncoder();

function frame(n: number): Outbound {
  return {
    subject: `t.json.trade.M${n % 3}`,
    data: encoder.encode(`{"n":${n}}`),
    msgId: `id-${n}`,
    headers: { "Ssmd-Conn": "c" },
    recvUs: 1_000_000 * n,
    ticker: `M${n % 3}`,
  };
}

async function setup(options: Partial<ConstructorParameters<typeof Publisher>[1]> = {}) {
  const memory = createMemoryBus();
  await memory.ensureStream({ name: "PUB", subjects: ["t.>"] });
  const { bus, state } = switchableBus(memory);
  const acked: Outbound[] = [];
  const losses: LossWindow[] = [];
  const rejected: Outbound[] = [];
  const publisher = new Publisher(
    bus,
    {
      maxInFlight: 4,
      maxBufferedMessages: 50,
      maxBufferedBytes: 1_000_000,
      publishTimeoutMs: 1000,
      retryBaseMs: 5,
      retryMaxMs: 20,
      ...options,
    },
    {
      nowUs: () => Date.now() * 1000,
      onAck: (message) => acked.push(message),
      onRetry: () => {},
      onDrop: () => {},
      lossRecord: (loss) => {
        losses.push(loss);
        return {
          ...frame(-1),
          subject: "t.status.gap",
          msgId: "loss",
          data: encoder.encode(JSON.stringify(loss)),
        };
      },
      onRejected: (message) => {
        rejected.push(message);
        return {
          ...frame(-2),
          subject: "t.status.gap",
          msgId: `rejected-${message.msgId}`,
          data: encoder.encode("{}"),
        };
      },
      logger: silentLogger,
    },
  );
  return { memory, state, publisher, acked, losses, rejected };
}

describe("connector publisher", () => {
  it("publishes everything in order with at most maxInFlight outstanding", async () => {
    const { memory, state, publisher, acked } = await setup();
    for (let n = 0; n < 40; n += 1) assert.equal(publisher.enqueue(frame(n)), true);
    assert.equal(await publisher.flush(5000), true);
    assert.equal(state.maxInFlight, 4);
    assert.deepEqual(
      acked.map((m) => m.msgId),
      Array.from({ length: 40 }, (_, n) => `id-${n}`),
    );
    assert.equal((await memory.streamInfo("PUB"))?.messages, 40);
  });

  it("retries while the bus is down and stores each frame once", async () => {
    const { memory, state, publisher, acked } = await setup();
    state.down = true;
    for (let n = 0; n < 20; n += 1) publisher.enqueue(frame(n));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(acked.length, 0);
    assert.ok(state.attempts > 4, "publishes were attempted and failed");
    state.down = false;
    publisher.resume();
    assert.equal(await publisher.flush(5000), true);
    assert.equal(acked.length, 20);
    assert.equal((await memory.streamInfo("PUB"))?.messages, 20);
  });

  it("drops beyond the bound, then publishes a loss record ahead of the backlog", async () => {
    const { memory, state, publisher, acked, losses } = await setup({ maxBufferedMessages: 10 });
    state.down = true;
    let accepted = 0;
    for (let n = 0; n < 25; n += 1) if (publisher.enqueue(frame(n))) accepted += 1;
    assert.equal(accepted, 10);
    assert.equal(publisher.buffered + publisher.inFlight, 10);
    state.down = false;
    publisher.resume();
    assert.equal(await publisher.flush(5000), true);
    assert.equal(losses.length, 1);
    assert.equal(losses[0]?.lost, 15);
    assert.equal(losses[0]?.firstUs, 10_000_000);
    assert.equal(losses[0]?.lastUs, 24_000_000);
    assert.deepEqual(losses[0]?.tickers, ["M0", "M1", "M2"]);
    assert.equal(acked.length, 11);
    assert.equal((await memory.streamInfo("PUB"))?.messages, 11);
  });

  it("lets essential records through a full buffer", async () => {
    const { state, publisher } = await setup({ maxBufferedMessages: 4 });
    state.down = true;
    for (let n = 0; n < 4; n += 1) publisher.enqueue(frame(n));
    assert.equal(publisher.enqueue(frame(99)), false);
    assert.equal(publisher.enqueue(frame(100), true), true);
    state.down = false;
    publisher.resume();
    assert.equal(await publisher.flush(5000), true);
  });

  it("flush() gives up after its timeout while the bus stays down", async () => {
    const { state, publisher } = await setup();
    state.down = true;
    publisher.enqueue(frame(1));
    assert.equal(await publisher.flush(50), false);
    assert.equal(publisher.buffered + publisher.inFlight, 1);
    publisher.close();
  });
});

describe("connector publisher after close", () => {
  it("a publish that fails after close() schedules no retry", async () => {
    const { state, publisher } = await setup();
    state.down = true;
    publisher.enqueue(frame(1));
    publisher.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const internals = publisher as unknown as { retryTimer: NodeJS.Timeout | undefined };
    assert.equal(internals.retryTimer, undefined, "no retry timer may be armed after close");
  });
});

describe("connector publisher and refused frames", () => {
  it("reports a frame the bus refuses for good once, without retrying it, and the rest flows on", async () => {
    const { state, publisher, acked, rejected } = await setup();
    state.refuse.add("id-3");
    for (let n = 1; n <= 6; n++) publisher.enqueue(frame(n));
    assert.equal(await publisher.flush(2000), true, "the publisher drains despite the refused frame");
    assert.deepEqual(
      rejected.map((m) => m.msgId),
      ["id-3"],
    );
    const ids = acked.map((m) => m.msgId);
    assert.deepEqual(ids.filter((id) => id.startsWith("id-")).sort(), [
      "id-1",
      "id-2",
      "id-4",
      "id-5",
      "id-6",
    ]);
    assert.ok(ids.includes("rejected-id-3"), "the loss is reported in the stream");
    assert.ok(state.attempts <= 8, `refused frame not retried (attempts ${state.attempts})`);
    publisher.close();
  });
});
