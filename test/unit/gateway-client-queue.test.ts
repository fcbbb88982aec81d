/**
 * The gateway's pure pieces: the bounded conflating client queue, client command parsing and
 * WebSocket text framing (checked against the ws library's own receiver).
 */
import assert from "node:assert/strict";
import type { Writable } from "node:stream";
import { describe, it } from "node:test";
import * as wsModule from "ws";
import { commandFromQuery, parseClientCommand } from "../../src/components/gateway/client-commands.js";
import { ClientQueue } from "../../src/components/gateway/client-queue.js";
import { queueItem, textFrame } from "../../src/components/gateway/ws-frame.js";

/** ws's frame parser (exported at runtime, not in @types/ws). */
const { Receiver } = wsModule as unknown as {
  Receiver: new (options: { isServer: boolean }) => Writable;
};

const LIMITS = { conflateAboveMessages: 4, maxQueueMessages: 8, maxQueueBytes: 10_000 };
const clock = () => 1000;

function drain(queue: ClientQueue): string[] {
  const out: string[] = [];
  for (let item = queue.shift(); item; item = queue.shift()) out.push(item.frame.subarray(2).toString());
  return out;
}

describe("ClientQueue", () => {
  it("queues in order below the conflation mark", () => {
    const queue = new ClientQueue(LIMITS, () => undefined);
    for (const text of ["a", "b", "c"])
      assert.equal(queue.push(queueItem(text, "orderbook"), "T", clock), "queued");
    assert.equal(queue.conflating, false);
    assert.deepEqual(drain(queue), ["a", "b", "c"]);
    assert.equal(queue.bytes, 0);
  });

  it("behind: book/ticker updates become one latest-state refill per symbol; trades are kept", () => {
    const refills: string[] = [];
    const queue = new ClientQueue(LIMITS, (ticker, type) => {
      refills.push(`${type}:${ticker}`);
      return queueItem(`latest-${type}-${ticker}`, type);
    });
    for (let i = 0; i < 5; i++) queue.push(queueItem(`b${i}`, "orderbook"), "A", clock);
    assert.equal(queue.conflating, true);
    assert.equal(queue.behindSinceMs, 1000);
    assert.equal(queue.push(queueItem("b5", "orderbook"), "A", clock), "conflated");
    assert.equal(queue.push(queueItem("b6", "orderbook"), "A", clock), "conflated");
    assert.equal(queue.push(queueItem("t1", "ticker"), "B", clock), "conflated");
    assert.equal(queue.push(queueItem("trade1", "trade"), "A", clock), "queued");
    assert.deepEqual(drain(queue), [
      "b0",
      "b1",
      "b2",
      "b3",
      "b4",
      "trade1",
      "latest-orderbook-A",
      "latest-ticker-B",
    ]);
    assert.deepEqual(refills, ["orderbook:A", "ticker:B"]);
    assert.equal(queue.conflating, false);
  });

  it("keeps order and byte counts across ring wrap-around and growth", () => {
    const queue = new ClientQueue(
      { conflateAboveMessages: 10_000, maxQueueMessages: 20_000, maxQueueBytes: 10_000_000 },
      () => undefined,
    );
    const expected: string[] = [];
    const got: string[] = [];
    let next = 0;
    // Interleave pushes and shifts so the head wraps; then a burst past 16, 32, 64... slots.
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) {
        const text = `m${next++}`;
        expected.push(text);
        queue.push(queueItem(text, "trade"), "A", clock);
      }
      for (let i = 0; i < 5; i++) got.push(queue.shift()!.frame.subarray(2).toString());
    }
    for (let i = 0; i < 300; i++) {
      const text = `m${next++}`;
      expected.push(text);
      queue.push(queueItem(text, "trade"), "A", clock);
    }
    assert.equal(queue.length, expected.length - got.length);
    got.push(...drain(queue));
    assert.deepEqual(got, expected);
    assert.equal(queue.length, 0);
    assert.equal(queue.bytes, 0);
    assert.equal(queue.shift(), undefined);
  });

  it("reports overflow past the hard bounds (messages or bytes)", () => {
    const queue = new ClientQueue(LIMITS, () => undefined);
    const results = Array.from({ length: 9 }, (_, i) => queue.push(queueItem(`t${i}`, "trade"), "A", clock));
    assert.equal(results.at(-1), "overflow");
    assert.ok(results.slice(0, 8).every((r) => r === "queued"));
    const small = new ClientQueue(LIMITS, () => undefined);
    assert.equal(small.push(queueItem("x".repeat(10_001), "trade"), "A", clock), "overflow");
  });
});

describe("client commands", () => {
  it("parses subscribe/unsubscribe and refuses bad input with a code", () => {
    assert.deepEqual(
      parseClientCommand('{"action":"subscribe","symbols":["A","A","B"],"channels":["trade"]}'),
      {
        ok: true,
        command: { action: "subscribe", symbols: ["A", "B"], channels: ["trade"] },
      },
    );
    const cases: [string, string][] = [
      ["nope", "malformed_json"],
      ["[1]", "bad_request"],
      ['{"action":"sub","symbols":["A"]}', "bad_request"],
      ['{"action":"subscribe","symbols":[]}', "bad_request"],
      ['{"action":"subscribe","symbols":[5]}', "bad_request"],
      ['{"action":"subscribe","symbols":["A"],"channels":["book"]}', "unknown_channel"],
    ];
    for (const [text, code] of cases) {
      const result = parseClientCommand(text);
      assert.equal(result.ok ? "ok" : result.code, code, text);
    }
  });

  it("reads the URL form", () => {
    assert.equal(commandFromQuery(new URLSearchParams("")), undefined);
    assert.deepEqual(commandFromQuery(new URLSearchParams("symbols=A, B&channels=trade,ticker")), {
      ok: true,
      command: { action: "subscribe", symbols: ["A", "B"], channels: ["trade", "ticker"] },
    });
  });
});

describe("textFrame", () => {
  it("frames 7-, 16- and 64-bit payload lengths that ws decodes back", async () => {
    const texts = [
      "",
      "é",
      "x".repeat(125),
      "y".repeat(126),
      "z".repeat(65_535),
      `{"a":"${"w".repeat(70_000)}"}`,
    ];
    const receiver = new Receiver({ isServer: false });
    const decoded: string[] = [];
    receiver.on("message", (data: Buffer) => decoded.push(data.toString()));
    for (const text of texts) receiver.write(textFrame(text));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(decoded, texts);
  });
});
