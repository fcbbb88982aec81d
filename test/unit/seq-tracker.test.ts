import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SeqTracker } from "../../src/core/seq-tracker.js";

describe("SeqTracker", () => {
  it("accepts the first seq of a sid and then contiguous ones", () => {
    const tracker = new SeqTracker();
    assert.deepEqual(tracker.observe(1, 5), { kind: "first" });
    assert.deepEqual(tracker.observe(1, 6), { kind: "next" });
    assert.deepEqual(tracker.observe(1, 7), { kind: "next" });
    assert.equal(tracker.lastSeq(1), 7);
  });

  it("drops a repeated seq as a duplicate without moving the last seq", () => {
    const tracker = new SeqTracker();
    tracker.observe(2, 1);
    tracker.observe(2, 2);
    assert.deepEqual(tracker.observe(2, 2), { kind: "duplicate" });
    assert.equal(tracker.lastSeq(2), 2);
    assert.deepEqual(tracker.observe(2, 3), { kind: "next" });
  });

  it("reports a forward gap with the exact missing range and continues after it", () => {
    const tracker = new SeqTracker();
    tracker.observe(3, 10);
    assert.deepEqual(tracker.observe(3, 14), { kind: "gap", fromSeq: 11, toSeq: 13 });
    assert.deepEqual(tracker.observe(3, 15), { kind: "next" });
  });

  it("reports a reset when seq goes backwards and restarts from there", () => {
    const tracker = new SeqTracker();
    tracker.observe(4, 100);
    assert.deepEqual(tracker.observe(4, 1), { kind: "reset", previousSeq: 100 });
    assert.deepEqual(tracker.observe(4, 2), { kind: "next" });
  });

  it("tracks sids independently and forgets them on request", () => {
    const tracker = new SeqTracker();
    tracker.observe(1, 1);
    tracker.observe(2, 50);
    assert.deepEqual(tracker.observe(1, 2), { kind: "next" });
    assert.deepEqual(tracker.observe(2, 51), { kind: "next" });
    tracker.forget(2);
    assert.equal(tracker.size, 1);
    assert.deepEqual(tracker.observe(2, 1), { kind: "first" });
  });
});

describe("SeqTracker runs", () => {
  it("counts sequence restarts per sid (reset, or forget and seen again)", () => {
    const tracker = new SeqTracker();
    tracker.observe(1, 1);
    assert.equal(tracker.run(1), 0);
    tracker.observe(1, 2);
    tracker.observe(1, 1);
    assert.equal(tracker.run(1), 1);
    tracker.forget(1);
    assert.equal(tracker.run(1), 2);
    tracker.forget(1);
    assert.equal(tracker.run(1), 2, "forgetting an unknown sid does not start a run");
    assert.equal(tracker.run(9), 0);
  });
});
