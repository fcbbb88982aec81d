/**
 * Pure parts of the secmaster: lifecycle frames → patches (real frames through parseFrame),
 * canonical text, diffs, undo for as-of, and sync summary counting.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parentTicker, seriesOfEventTicker } from "../../src/components/secmaster/canonical.js";
import { MARKETS } from "../../src/components/secmaster/entity-specs.js";
import { diffRecord } from "../../src/components/secmaster/entity-writer.js";
import { undo } from "../../src/components/secmaster/history.js";
import { eventPatch, marketPatch, occurredAt } from "../../src/components/secmaster/lifecycle-patch.js";
import { countChanges, emptySummary } from "../../src/components/secmaster/sync-summary.js";
import { parseFrame } from "../../src/core/kalshi/parse-frame.js";
import type { EventLifecycle, MarketLifecycle } from "../../src/core/kalshi/types.js";
import { marketOf } from "../helpers/secmaster-fixtures.js";

function lifecycle(msg: Record<string, unknown>): MarketLifecycle {
  const parsed = parseFrame(
    JSON.stringify({
      type: "market_lifecycle_v2",
      sid: 1,
      msg: { market_ticker: "KXBTCD-26NOV21-T1", ...msg },
    }),
  );
  assert.ok(parsed.ok && parsed.message.kind === "market_lifecycle_v2");
  return parsed.message as MarketLifecycle;
}

describe("lifecycle patches", () => {
  test("status words follow Kalshi's REST vocabulary", () => {
    const status = (event_type: string, extra = {}) =>
      marketPatch(lifecycle({ event_type, ...extra })).status;
    assert.equal(status("created"), "initialized");
    assert.equal(status("activated"), "active");
    assert.equal(status("deactivated", { is_deactivated: true }), "inactive");
    assert.equal(status("deactivated", { is_deactivated: false }), "active");
    assert.equal(status("determined", { result: "yes" }), "determined");
    assert.equal(status("settled"), "finalized");
    assert.equal(status("close_date_updated", { close_ts: 1_700_000_000 }), undefined);
  });

  test("determined carries result and exact settlement value; times come from the frame", () => {
    const frame = lifecycle({
      event_type: "determined",
      result: "no",
      settlement_value: "0.0000",
      determination_ts: 1_763_740_800,
    });
    assert.deepEqual(marketPatch(frame), { status: "determined", result: "no", settlement_value: "0.0000" });
    assert.equal(occurredAt(frame, 5), 1_763_740_800_000);
    assert.equal(occurredAt(lifecycle({ event_type: "activated" }), 5), 5);
    const legacy = lifecycle({ event_type: "determined", result: "yes", settlement_value: 100 });
    assert.equal(marketPatch(legacy).settlement_value, "1.0000");
  });

  test("created takes open/close times, structure, ranges and metadata (strikes, rules, event)", () => {
    const patch = marketPatch(
      lifecycle({
        event_type: "created",
        open_ts: 1_763_740_800,
        close_ts: 1_763_744_400,
        price_level_structure: "linear_cent",
        price_ranges: [{ start: "0.0000", end: "1.0000", step: "0.0100" }],
        additional_metadata: {
          title: "BTC above 67,749.99?",
          rules_primary: "If ...",
          can_close_early: true,
          event_ticker: "KXBTCD-26NOV21",
          strike_type: "greater",
          floor_strike: 67749.99,
          expected_expiration_ts: 1_763_748_000,
          ignored_number: 3,
        },
      }),
    );
    assert.deepEqual(patch, {
      status: "initialized",
      open_time: "2025-11-21T16:00:00.000Z",
      close_time: "2025-11-21T17:00:00.000Z",
      price_level_structure: "linear_cent",
      price_ranges: '[{"start":"0.0000","end":"1.0000","step":"0.0100"}]',
      title: "BTC above 67,749.99?",
      rules_primary: "If ...",
      event_ticker: "KXBTCD-26NOV21",
      strike_type: "greater",
      can_close_early: "true",
      floor_strike: "67749.99",
      expected_expiration_time: "2025-11-21T18:00:00.000Z",
    });
  });

  test("event lifecycle → event fields, series from the ticker when absent", () => {
    const parsed = parseFrame(
      JSON.stringify({
        type: "event_lifecycle",
        sid: 2,
        msg: { event_ticker: "KXBTCD-26NOV21", title: "BTC" },
      }),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(eventPatch(parsed.message as EventLifecycle), { series_ticker: "KXBTCD", title: "BTC" });
  });
});

describe("canonical text, diffs and undo", () => {
  test("parent and series tickers", () => {
    assert.equal(parentTicker("KXBTCD-26FEB12-T67749.99"), "KXBTCD-26FEB12");
    assert.equal(seriesOfEventTicker("KXBTCD-26FEB12"), "KXBTCD");
    assert.equal(seriesOfEventTicker("PLAIN"), "PLAIN");
  });

  test("legacy integer cents and current dollar strings give the same canonical record", () => {
    const current = marketOf("EQ-26NOV21-T1", { yes_bid_dollars: "0.4500", volume_fp: "136.00" });
    const legacy = marketOf("EQ-26NOV21-T1", {
      yes_bid_dollars: undefined,
      yes_bid: 45,
      volume_fp: undefined,
      volume: 136,
    });
    assert.equal(legacy.values.yes_bid, "0.4500");
    assert.equal(legacy.values.volume, "136.00");
    assert.equal(diffRecord(MARKETS, legacy, current.values, { source: "s", atMs: 0 }), undefined);
  });

  test("undo walks changes newest first and stops at _added", () => {
    const view = { ticker: "X", status: "finalized", result: "yes" };
    const later = [
      { id: 1, field: "status", old: "active", new: "determined", changedAt: "t1", source: "s" },
      { id: 2, field: "result", old: null, new: "yes", changedAt: "t1", source: "s" },
      { id: 3, field: "status", old: "determined", new: "finalized", changedAt: "t2", source: "s" },
    ];
    assert.deepEqual(undo(view, later), { ticker: "X", status: "active", result: null });
    assert.equal(
      undo(view, [{ id: 0, field: "_added", old: null, new: null, changedAt: "t0", source: "s" }, ...later]),
      undefined,
    );
  });

  test("summary counts closed and settled from status changes only", () => {
    const summary = emptySummary("full", "all", false, 0);
    const change = (kind: "added" | "updated", status?: string) => ({
      entity: "market" as const,
      key: "k",
      kind,
      fields: status
        ? [{ field: "status", old: "active", new: status }]
        : [{ field: "yes_bid", old: "0.1000", new: "0.2000" }],
      source: "sync",
      at: "",
      values: {},
    });
    countChanges(summary.markets, 5, [
      change("added"),
      change("updated", "determined"),
      change("updated", "finalized"),
      change("updated"),
    ]);
    assert.deepEqual(summary.markets, { seen: 5, added: 1, changed: 3, closed: 1, settled: 1 });
  });
});
