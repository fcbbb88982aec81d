import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveMsgId, statusMsgId, tradeMsgId } from "../../src/core/msg-id.js";

describe("deriveMsgId", () => {
  it("uses the trade_id verbatim for trades, even when the frame has a seq", () => {
    assert.equal(
      deriveMsgId({ tradeId: "d91bc706-ee49", sid: 2, seq: 49, conn: "a-0-1", frameNo: 7 }),
      "d91bc706-ee49",
    );
  });

  it("keys sequenced frames by connection, sid and seq", () => {
    assert.equal(deriveMsgId({ sid: 1, seq: 1, conn: "a-0-1", frameNo: 7 }), "s:a-0-1:1:1");
  });

  it("does not collide when a reconnect restarts sid 1 seq 1", () => {
    const before = deriveMsgId({ sid: 1, seq: 1, conn: "a-0-1", frameNo: 7 });
    const after = deriveMsgId({ sid: 1, seq: 1, conn: "a-0-2", frameNo: 7 });
    assert.notEqual(before, after);
  });

  it("numbers other frames per connection, so byte-identical frames are both kept", () => {
    assert.equal(deriveMsgId({ sid: 11, conn: "a-0-1", frameNo: 42 }), "n:a-0-1:42");
    assert.notEqual(
      deriveMsgId({ sid: 11, conn: "a-0-1", frameNo: 42 }),
      deriveMsgId({ sid: 11, conn: "a-0-1", frameNo: 43 }),
    );
  });

  it("treats an empty trade_id as absent", () => {
    assert.equal(deriveMsgId({ tradeId: "", sid: 3, seq: 9, conn: "c", frameNo: 7 }), "s:c:3:9");
  });

  it("spells a trade_id that cannot be a header value as JSON, deterministically", () => {
    const input = { tradeId: "t-1\r\nNats-Expected-Stream: X", conn: "c", frameNo: 1 };
    assert.equal(deriveMsgId(input), '"t-1\\r\\nNats-Expected-Stream: X"');
    assert.equal(deriveMsgId({ ...input, conn: "other", frameNo: 9 }), deriveMsgId(input));
    assert.equal(tradeMsgId(" padded "), '" padded "');
    assert.equal(tradeMsgId("tab\there"), '"tab\\there"');
    assert.equal(tradeMsgId("d3b8a1c2-0f4e-4c1a-9b7e-5a6f7e8d9c0b"), "d3b8a1c2-0f4e-4c1a-9b7e-5a6f7e8d9c0b");
  });

  it("numbers status records per instance", () => {
    assert.equal(statusMsgId("f00d", 7), "g:f00d:7");
  });
});

describe("deriveMsgId after a seq restart", () => {
  it("adds the sid's run so a reset's seq 1 is not a duplicate of the first seq 1", () => {
    const first = deriveMsgId({ sid: 1, seq: 1, run: 0, conn: "a-0-1", frameNo: 7 });
    const afterReset = deriveMsgId({ sid: 1, seq: 1, run: 1, conn: "a-0-1", frameNo: 7 });
    assert.equal(first, "s:a-0-1:1:1");
    assert.equal(afterReset, "s:a-0-1~1:1:1");
  });
});
