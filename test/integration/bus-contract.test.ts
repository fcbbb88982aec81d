/**
 * One contract suite for both Bus implementations (STYLE.md §8): the in-process bus and NATS
 * JetStream on a real nats-server. Every test uses its own stream and subject prefix.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus, StreamSpec } from "../../src/adapters/bus/types.js";
import { createLogger } from "../../src/adapters/log.js";
import { ConfigError, NotFoundError, UnavailableError } from "../../src/core/errors.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { decode, text, timedReader, uniqueName, waitUntil } from "./bus-helpers.js";

interface Impl {
  name: "memory" | "nats";
  open(): Promise<Bus>;
}

let nats: TestNatsServer | undefined;
const logger = createLogger("bus-test", { level: "silent" });
const impls: Impl[] = [
  { name: "memory", open: async () => createMemoryBus() },
  { name: "nats", open: () => connectNatsBus({ url: nats!.url, name: "bus-contract", logger }) },
];

before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats?.cleanup();
});

/** A fresh stream on `prefix.>` for one test; returns its spec and the bus (closed by `done`). */
async function setup(impl: Impl, extra: Partial<StreamSpec> = {}) {
  const bus = await impl.open();
  const prefix = uniqueName("t").toLowerCase();
  const spec: StreamSpec = { name: uniqueName("S"), subjects: [`${prefix}.>`], storage: "file", ...extra };
  await bus.ensureStream(spec);
  const publish = (suffix: string, body: string, msgId?: string) =>
    bus.publish(`${prefix}.${suffix}`, text(body), msgId === undefined ? {} : { msgId });
  return { bus, prefix, stream: spec.name, spec, publish };
}

for (const impl of impls) {
  describe(`bus contract: ${impl.name}`, () => {
    test("publish acks with the stream name and increasing sequences", async () => {
      const { bus, stream, publish } = await setup(impl);
      const first = await publish("json.trade.A", "1");
      const second = await publish("json.trade.B", "2");
      assert.deepEqual(first, { stream, seq: 1, duplicate: false });
      assert.deepEqual(second, { stream, seq: 2, duplicate: false });
      const info = await bus.streamInfo(stream);
      assert.equal(info?.messages, 2);
      assert.equal(info?.firstSeq, 1);
      assert.equal(info?.lastSeq, 2);
      assert.equal(await bus.streamInfo(uniqueName("MISSING")), undefined);
      await bus.close();
    });

    test("a repeated msgId inside the duplicate window is acknowledged as a duplicate, not stored", async () => {
      const { bus, stream, publish } = await setup(impl);
      const first = await publish("json.trade.A", "x", "trade-1");
      const again = await publish("json.trade.A", "x", "trade-1");
      const other = await publish("json.trade.A", "y", "trade-2");
      assert.equal(first.duplicate, false);
      assert.deepEqual(again, { stream, seq: first.seq, duplicate: true });
      assert.equal(other.seq, first.seq + 1);
      assert.equal((await bus.streamInfo(stream))?.messages, 2);
      await bus.close();
    });

    test("publishing to a subject no stream listens on is refused as unavailable", async () => {
      const bus = await impl.open();
      await assert.rejects(
        bus.publish(`${uniqueName("nobody").toLowerCase()}.x`, text("x"), { timeoutMs: 1000 }),
        UnavailableError,
      );
      await bus.close();
    });

    test("ensureStream updates limits in place and refuses bad specs with ConfigError", async () => {
      const { bus, spec, publish } = await setup(impl);
      for (let i = 0; i < 5; i++) await publish("json.trade.A", String(i));
      const updated = await bus.ensureStream({ ...spec, maxMessages: 3 });
      assert.equal(updated.messages, 3);
      assert.equal(updated.firstSeq, 3);
      await assert.rejects(bus.ensureStream({ name: "bad.name", subjects: ["x.>"] }), ConfigError);
      await assert.rejects(bus.ensureStream({ name: uniqueName("B"), subjects: ["a.>.b"] }), ConfigError);
      await assert.rejects(bus.ensureStream({ ...spec, name: uniqueName("O") }), ConfigError);
      await bus.close();
    });

    test("consume and getMessage on a missing stream are NotFoundError; bad consumer specs ConfigError", async () => {
      const { bus, stream } = await setup(impl);
      const missing = uniqueName("MISSING");
      await assert.rejects(bus.consume({ stream: missing }), NotFoundError);
      await assert.rejects(bus.consume({ stream: missing, durable: "d" }), NotFoundError);
      await assert.rejects(bus.getMessage(missing, 1), NotFoundError);
      await assert.rejects(bus.consume({ stream, durable: "bad.name" }), ConfigError);
      await assert.rejects(bus.consume({ stream, durable: "d", maxAckPending: 0 }), ConfigError);
      await assert.rejects(bus.consume({ stream, deliverFrom: { kind: "seq", seq: 0 } }), ConfigError);
      await bus.close();
    });

    test("wildcard filters select subjects with * and >", async () => {
      const { bus, prefix, stream, publish } = await setup(impl);
      await publish("json.trade.A", "t-a");
      await publish("json.ticker.A", "k-a");
      await publish("json.trade.B", "t-b");
      await publish("status.gap", "gap");
      const trades = timedReader(await bus.consume({ stream, filterSubjects: [`${prefix}.json.trade.*`] }));
      assert.deepEqual(
        (await trades.take(2)).map((m) => decode(m.data)),
        ["t-a", "t-b"],
      );
      assert.equal(await trades.read(300), undefined);
      const json = timedReader(await bus.consume({ stream, filterSubjects: [`${prefix}.json.>`] }));
      assert.deepEqual(
        (await json.take(3)).map((m) => m.seq),
        [1, 2, 3],
      );
      const two = timedReader(
        await bus.consume({ stream, filterSubjects: [`${prefix}.json.*.B`, `${prefix}.status.>`] }),
      );
      assert.deepEqual(
        (await two.take(2)).map((m) => m.subject),
        [`${prefix}.json.trade.B`, `${prefix}.status.gap`],
      );
      await bus.close();
    });

    test("headers and msgId travel with the message; pending counts what is left", async () => {
      const { bus, prefix, stream } = await setup(impl);
      await bus.publish(`${prefix}.json.trade.A`, text("{}"), {
        msgId: "m-1",
        headers: { "Ssmd-Recv-Us": "123" },
      });
      for (let i = 0; i < 3; i++) await bus.publish(`${prefix}.json.trade.A`, text(String(i)));
      const reader = timedReader(await bus.consume({ stream }));
      const [first, second] = await reader.take(2);
      // header() read first (the NATS bus then scans the raw block), headers after: same values
      assert.equal(first!.header("Ssmd-Recv-Us"), "123");
      assert.equal(first!.header("Nats-Msg-Id"), "m-1");
      assert.equal(first!.header("Ssmd-Conn"), undefined);
      assert.equal(first!.headers["Ssmd-Recv-Us"], "123");
      assert.equal(first!.headers["Nats-Msg-Id"], "m-1");
      assert.equal(second!.header("Nats-Msg-Id"), undefined);
      assert.equal(first!.pending, 3);
      assert.ok(Math.abs(first!.timestampMs - Date.now()) < 10_000);
      await bus.close();
    });

    test("durable: ack settles, an unacked message is redelivered after ackWait", async () => {
      const { bus, stream, publish } = await setup(impl);
      await publish("json.trade.A", "a");
      await publish("json.trade.A", "b");
      const reader = timedReader(await bus.consume({ stream, durable: "d1", ackWaitMs: 500 }));
      const [a, b] = await reader.take(2);
      assert.equal(a!.deliveryCount, 1);
      a!.ack();
      const again = await reader.read(4000);
      assert.equal(again?.seq, b!.seq);
      assert.equal(again?.deliveryCount, 2);
      again!.ack();
      assert.equal(await reader.read(900), undefined);
      await bus.close();
    });

    test("durable: several filter subjects deliver only matching messages", async () => {
      const { bus, prefix, stream, publish } = await setup(impl);
      await publish("json.trade.A", "trade");
      await publish("json.ticker.A", "ticker");
      await publish("status.gap", "gap");
      await publish("json.orderbook.A", "book");
      const filterSubjects = [`${prefix}.json.trade.>`, `${prefix}.status.>`];
      const reader = timedReader(await bus.consume({ stream, durable: "multi", filterSubjects }));
      const got = await reader.take(2);
      assert.deepEqual(
        got.map((m) => decode(m.data)),
        ["trade", "gap"],
      );
      for (const message of got) message.ack();
      assert.equal(await reader.read(300), undefined);
      await publish("status.disconnect", "disc");
      assert.equal(decode((await reader.read(3000))!.data), "disc");
      await bus.close();
    });

    test("durable: nak asks for redelivery", async () => {
      const { bus, stream, publish } = await setup(impl);
      await publish("json.trade.A", "a");
      const reader = timedReader(await bus.consume({ stream, durable: "nak", ackWaitMs: 10_000 }));
      const [first] = await reader.take(1);
      first!.nak();
      const again = await reader.read(3000);
      assert.equal(again?.seq, first!.seq);
      assert.equal(again?.deliveryCount, 2);
      await bus.close();
    });

    test("durable: resumes after close and reopen where it left off", async () => {
      const { bus, stream, publish } = await setup(impl);
      for (let i = 1; i <= 5; i++) await publish("json.trade.A", String(i));
      const spec = { stream, durable: "resume", ackWaitMs: 30_000 };
      const firstRun = await bus.consume(spec);
      const reader = timedReader(firstRun);
      for (const message of await reader.take(3)) message.ack();
      await firstRun.close();
      const second = timedReader(await bus.consume(spec));
      const rest = await second.take(2, 3000);
      // Exactly the unacked rest, each once. Their order is not promised: messages the closed
      // consumer had pulled but not handed out are returned to the server, which may redeliver
      // them in either order (nats-server 2.9); consumers order by stream seq where it matters.
      assert.deepEqual(
        rest.map((m) => m.seq).sort((a, b) => a - b),
        [4, 5],
      );
      assert.equal(await second.read(300), undefined);
      await bus.close();
    });

    test("durable: never more than maxAckPending unacked messages in flight", async () => {
      const { bus, stream, publish } = await setup(impl);
      for (let i = 1; i <= 6; i++) await publish("json.trade.A", String(i));
      const reader = timedReader(await bus.consume({ stream, durable: "window", maxAckPending: 3 }));
      const window = await reader.take(3);
      assert.deepEqual(
        window.map((m) => m.seq),
        [1, 2, 3],
      );
      assert.equal(await reader.read(500), undefined);
      window[0]!.ack();
      assert.equal((await reader.read(3000))?.seq, 4);
      assert.equal(await reader.read(300), undefined);
      await bus.close();
    });

    test("ephemeral: deliver from new, all, sequence and time", async () => {
      const { bus, stream, publish } = await setup(impl);
      for (let i = 1; i <= 3; i++) {
        await publish("json.trade.A", String(i));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const fromNew = timedReader(await bus.consume({ stream, deliverFrom: { kind: "new" } }));
      const fromAll = timedReader(await bus.consume({ stream, deliverFrom: { kind: "all" } }));
      const fromSeq = timedReader(await bus.consume({ stream, deliverFrom: { kind: "seq", seq: 2 } }));
      const third = await bus.getMessage(stream, 3);
      const fromTime = timedReader(
        await bus.consume({ stream, deliverFrom: { kind: "time", atMs: third!.timestampMs } }),
      );
      assert.equal(await fromNew.read(300), undefined);
      await publish("json.trade.A", "4");
      assert.equal((await fromNew.read(3000))?.seq, 4);
      assert.deepEqual(
        (await fromAll.take(4)).map((m) => m.seq),
        [1, 2, 3, 4],
      );
      assert.deepEqual(
        (await fromSeq.take(3)).map((m) => m.seq),
        [2, 3, 4],
      );
      assert.equal((await fromTime.read(3000))?.seq, 3);
      await bus.close();
    });

    test("ephemeral: last-per-subject then new messages", async () => {
      const { bus, prefix, stream, publish } = await setup(impl);
      await publish("json.ticker.A", "a1");
      await publish("json.ticker.B", "b1");
      await publish("json.ticker.A", "a2");
      const reader = timedReader(
        await bus.consume({
          stream,
          filterSubjects: [`${prefix}.json.ticker.*`],
          deliverFrom: { kind: "last-per-subject" },
        }),
      );
      assert.deepEqual(
        (await reader.take(2)).map((m) => decode(m.data)),
        ["b1", "a2"],
      );
      await publish("json.ticker.B", "b2");
      assert.equal(decode((await reader.read(3000))!.data), "b2");
      await bus.close();
    });

    test("getMessage reads by sequence and returns undefined when absent", async () => {
      const { bus, prefix, stream } = await setup(impl);
      await bus.publish(`${prefix}.json.trade.A`, text("one"));
      await bus.publish(`${prefix}.json.trade.B`, text("two"), { headers: { "Ssmd-Conn": "c1" } });
      const message = await bus.getMessage(stream, 2);
      assert.equal(message?.subject, `${prefix}.json.trade.B`);
      assert.equal(decode(message!.data), "two");
      assert.equal(message?.headers["Ssmd-Conn"], "c1");
      assert.equal(message?.header("Ssmd-Conn"), "c1");
      assert.equal(message?.seq, 2);
      assert.equal(await bus.getMessage(stream, 99), undefined);
      await bus.close();
    });

    test("retention: aged-out messages leave a sequence gap a durable consumer sees", async () => {
      const { bus, stream, publish } = await setup(impl, { maxAgeMs: 1000 });
      await publish("json.trade.A", "1");
      const spec = { stream, durable: "aged", ackWaitMs: 30_000 };
      const firstRun = await bus.consume(spec);
      const [first] = await timedReader(firstRun).take(1);
      first!.ack();
      await firstRun.close();
      await publish("json.trade.A", "2");
      await publish("json.trade.A", "3");
      await waitUntil(async () => (await bus.streamInfo(stream))?.messages === 0, 8000);
      assert.equal(await bus.getMessage(stream, 2), undefined);
      await publish("json.trade.A", "4");
      const next = await timedReader(await bus.consume(spec)).read(3000);
      assert.equal(next?.seq, 4);
      assert.equal((await bus.streamInfo(stream))?.firstSeq, 4);
      await bus.close();
    });

    test("retention: maxMessages and maxBytes drop the oldest first", async () => {
      const { bus, stream, publish } = await setup(impl, { maxMessages: 3 });
      for (let i = 1; i <= 5; i++) await publish("json.trade.A", String(i));
      const info = await bus.streamInfo(stream);
      assert.equal(info?.messages, 3);
      assert.equal(info?.firstSeq, 3);
      const sized = await setup(impl, { maxBytes: 4096 });
      for (let i = 0; i < 40; i++) await sized.publish("json.trade.A", "x".repeat(200));
      const sizedInfo = await sized.bus.streamInfo(sized.stream);
      assert.ok(sizedInfo!.bytes <= 4096, `bytes ${sizedInfo!.bytes}`);
      assert.ok(sizedInfo!.firstSeq > 1);
      assert.equal(sizedInfo!.lastSeq, 40);
      await bus.close();
      await sized.bus.close();
    });

    test("close() ends a pending next() of durable and ephemeral streams", async () => {
      const { bus, stream } = await setup(impl);
      const durable = await bus.consume({ stream, durable: "idle" });
      const ephemeral = await bus.consume({ stream });
      const durableNext = durable[Symbol.asyncIterator]().next();
      const ephemeralNext = ephemeral[Symbol.asyncIterator]().next();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await Promise.all([durable.close(), ephemeral.close()]);
      assert.equal((await durableNext).done, true);
      assert.equal((await ephemeralNext).done, true);
      await bus.close();
    });

    test("bus.close() ends open iterators", async () => {
      const { bus, stream } = await setup(impl);
      const reader = timedReader(await bus.consume({ stream, durable: "closing" }));
      assert.equal(await reader.read(100), undefined);
      await bus.close();
      assert.equal(await reader.ended(3000), true);
    });
  });
}
