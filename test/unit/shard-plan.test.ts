import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  assignMarket,
  emptyPlan,
  marketCount,
  planShards,
  removeMarket,
  shardOf,
} from "../../src/core/shard-plan.js";

describe("shard plan", () => {
  it("splits markets into shards of at most maxPerShard, deduplicated, order kept", () => {
    const plan = planShards(["A", "B", "C", "A", "D", "E"], 2);
    assert.deepEqual(plan.shards, [["A", "B"], ["C", "D"], ["E"]]);
    assert.equal(marketCount(plan), 5);
  });

  it("adds a live market to the first shard with room, else opens a new shard", () => {
    let plan = planShards(["A", "B", "C"], 2);
    const first = assignMarket(plan, "D");
    assert.equal(first.shard, 1);
    assert.equal(first.newShard, false);
    plan = first.plan;
    const second = assignMarket(plan, "E");
    assert.equal(second.shard, 2);
    assert.equal(second.newShard, true);
    assert.deepEqual(second.plan.shards, [["A", "B"], ["C", "D"], ["E"]]);
  });

  it("does not add a market twice", () => {
    const plan = planShards(["A"], 3);
    const again = assignMarket(plan, "A");
    assert.equal(again.added, false);
    assert.equal(again.plan, plan);
  });

  it("removes a market and reuses the freed slot, keeping shard indexes stable", () => {
    let plan = planShards(["A", "B", "C", "D"], 2);
    const removal = removeMarket(plan, "B");
    assert.equal(removal.shard, 0);
    plan = removal.plan;
    assert.deepEqual(plan.shards, [["A"], ["C", "D"]]);
    assert.equal(shardOf(plan, "D"), 1);
    const added = assignMarket(plan, "X");
    assert.equal(added.shard, 0);
    assert.equal(removeMarket(plan, "nope").shard, undefined);
  });

  it("rejects a non-positive shard size", () => {
    assert.throws(() => emptyPlan(0), RangeError);
    assert.throws(() => planShards(["A"], 1.5), RangeError);
  });
});
