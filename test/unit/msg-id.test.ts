import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deriveMsgId, statusMsgId } from "../../src/core/msg-id.js";

const noHash = () => {
  throw new Error("hash must not be computed");
};

describe("deriveMsgId", () => {
  it("uses the trade_id verbatim for trades, even when the frame has a seq", () => {
    assert.equal(
      deriveMsgId({ tradeId: "d91bc706-ee49", sid: 2, seq: 49, conn: "a-0-1", contentHash: noHash }),
      "d91bc706-ee49",
    );
  });

  it("keys sequenced frames by connection, sid and seq", () => {
    assert.equal(deriveMsgId({ sid: 1, seq: 1, conn: "a-0-1", contentHash: noHash }), "s:a-0-1:1:1");
  });

  it("does not collide when a reconnect restarts sid 1 seq 1", () => {
    const before = deriveMsgId({ sid: 1, seq: 1, conn: "a-0-1", contentHash: noHash });
    const after = deriveMsgId({ sid: 1, seq: 1, conn: "a-0-2", contentHash: noHash });
    assert.notEqual(before, after);
  });

  it("falls back to the content hash for unsequenced frames and calls it lazily", () => {
    let calls = 0;
    const id = deriveMsgId({
      sid: 11,
      conn: "a-0-1",
      contentHash: () => {
        calls += 1;
        return "abc";
      },
    });
    assert.equal(id, "h:a-0-1:abc");
    assert.equal(calls, 1);
  });

  it("treats an empty trade_id as absent", () => {
    assert.equal(deriveMsgId({ tradeId: "", sid: 3, seq: 9, conn: "c", contentHash: noHash }), "s:c:3:9");
  });

  it("numbers status records per instance", () => {
    assert.equal(statusMsgId("f00d", 7), "g:f00d:7");
  });
});

describe("deriveMsgId after a seq restart", () => {
  it("adds the sid's run so a reset's seq 1 is not a duplicate of the first seq 1", () => {
    const first = deriveMsgId({ sid: 1, seq: 1, run: 0, conn: "a-0-1", contentHash: noHash });
    const afterReset = deriveMsgId({ sid: 1, seq: 1, run: 1, conn: "a-0-1", contentHash: noHash });
    assert.equal(first, "s:a-0-1:1:1");
    assert.equal(afterReset, "s:a-0-1~1:1:1");
  });
});
