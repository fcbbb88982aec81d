import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { isReplyFrame } from "../../src/adapters/kalshi/ws-frame-kind.js";

const frame = (text: string) => Buffer.from(text, "utf8");

describe("reply vs data frame classification", () => {
  it("classifies every captured frame and PROTOCOL.md example by its type", () => {
    const lines = ["captured.frames.jsonl", "protocol.frames.jsonl", "quirks.frames.jsonl"]
      .flatMap((file) =>
        readFileSync(new URL(`../fixtures/kalshi/${file}`, import.meta.url), "utf8").split("\n"),
      )
      .filter((line) => line.startsWith("{"))
      .map((line) => (JSON.parse(line) as { frame: string }).frame)
      .filter((text) => text.startsWith("{") && isJson(text));
    assert.ok(lines.length > 0);
    for (const line of lines) {
      const type = (JSON.parse(line) as { type: string }).type;
      const reply = ["subscribed", "unsubscribed", "ok", "error", "list_subscriptions"].includes(type);
      assert.equal(isReplyFrame(frame(line)), reply, line.slice(0, 80));
    }
  });

  it("finds replies whatever the key order", () => {
    assert.equal(isReplyFrame(frame('{"id":1,"type":"subscribed","msg":{"channel":"trade","sid":1}}')), true);
    assert.equal(isReplyFrame(frame('{"type":"subscribed","id":1,"msg":{"channel":"trade","sid":1}}')), true);
    assert.equal(isReplyFrame(frame('{"id":102,"sid":2,"seq":7,"type":"unsubscribed"}')), true);
    assert.equal(isReplyFrame(frame('{"id":3,"type":"ok","msg":[{"channel":"ticker","sid":2}]}')), true);
    assert.equal(isReplyFrame(frame('{"id":3,"type":"list_subscriptions","msg":[]}')), true);
    assert.equal(
      isReplyFrame(frame(' { "type" : "error", "msg": {"code":25,"msg":"Buffer overflow"}}')),
      true,
    );
  });

  it("does not mistake nested type keys or data for replies", () => {
    const nested =
      '{"sid":13,"msg":{"additional_metadata":{"type":"ok"},"market_ticker":"X"},"type":"market_lifecycle_v2"}';
    assert.equal(isReplyFrame(frame(nested)), false);
    assert.equal(
      isReplyFrame(frame('{"type":"trade","sid":1,"msg":{"trade_id":"a","market_ticker":"B"}}')),
      false,
    );
    assert.equal(isReplyFrame(frame('{"type":"some_future_type","msg":{}}')), false);
  });

  // A truncated reply such as '{"type":"ok"' still classifies as a reply; the client then fails to
  // parse it and hands it to onFrame (see kalshi-client-ws.test.ts), so nothing is lost.
  it("hands unreadable frames on as data (the connector counts parse errors)", () => {
    for (const text of ["", "not json", '{"type":', "[1,2]"]) {
      assert.equal(isReplyFrame(frame(text)), false, text);
    }
  });
});

function isJson(text: string): boolean {
  try {
    return typeof (JSON.parse(text) as { type?: unknown }).type === "string";
  } catch {
    return false;
  }
}
