/**
 * The secmaster store, one contract suite against real PostgreSQL and PGlite: field-level
 * history, as-of reconstruction after several changes, partial lifecycle patches, dry runs,
 * listing filters and pagination, "Did you mean", clock transitions and the daily snapshot.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { applyClockTransitions } from "../../src/components/secmaster/clock-transitions.js";
import { EVENTS, MARKETS, SERIES } from "../../src/components/secmaster/entity-specs.js";
import { SecmasterStore } from "../../src/components/secmaster/secmaster-store.js";
import { writeMarketSnapshot } from "../../src/components/secmaster/snapshot.js";
import {
  finishRun,
  lastCompletedStart,
  recentRuns,
  startRun,
} from "../../src/components/secmaster/sync-runs.js";
import { NotFoundError, ValidationError } from "../../src/core/errors.js";
import { BACKENDS } from "../helpers/secmaster-dbs.js";
import { eventOf, marketOf, seriesOf } from "../helpers/secmaster-fixtures.js";
import { tempDir } from "../helpers/tmp.js";

const T0 = Date.parse("2026-11-21T10:00:00Z");
const minutes = (n: number) => T0 + n * 60_000;

for (const backend of BACKENDS) {
  describe(`secmaster store: ${backend.name}`, () => {
    let store: SecmasterStore;
    let cleanup: () => Promise<void>;
    before(async () => {
      const opened = await backend.open();
      store = new SecmasterStore(opened.db);
      cleanup = opened.cleanup;
    });
    after(() => cleanup());

    test("adds, then records only the fields that changed, with old/new/when/source", async () => {
      const added = await store.apply(MARKETS, [marketOf("HIST-26NOV21-T1")], {
        source: "sync",
        atMs: minutes(0),
      });
      assert.equal(added.length, 1);
      assert.equal(added[0]?.kind, "added");
      const same = await store.apply(MARKETS, [marketOf("HIST-26NOV21-T1")], {
        source: "sync",
        atMs: minutes(1),
      });
      assert.deepEqual(same, [], "an identical record is no change");
      const changed = await store.apply(
        MARKETS,
        [marketOf("HIST-26NOV21-T1", { yes_bid_dollars: "0.5", status: "closed" })],
        {
          source: "sync",
          atMs: minutes(2),
        },
      );
      assert.deepEqual(
        changed[0]?.fields.map((f) => [f.field, f.old, f.new]),
        [
          ["status", "active", "closed"],
          ["yes_bid", "0.4500", "0.5000"],
        ],
      );
      const history = await store.history("market", "HIST-26NOV21-T1");
      assert.deepEqual(
        history.map((h) => [h.field, h.changedAt, h.source]),
        [
          ["_added", "2026-11-21T10:00:00.000Z", "sync"],
          ["status", "2026-11-21T10:02:00.000Z", "sync"],
          ["yes_bid", "2026-11-21T10:02:00.000Z", "sync"],
        ],
      );
    });

    test("stores exact decimals, strikes, price level structure, rules and category", async () => {
      await store.apply(
        MARKETS,
        [marketOf("EXACT-26NOV21-T67749.99", { yes_bid_dollars: "0.0001", volume_fp: "2020.47" })],
        {
          source: "sync",
          atMs: minutes(0),
        },
      );
      const view = await store.market("EXACT-26NOV21-T67749.99");
      assert.equal(view.yes_bid, "0.0001");
      assert.equal(view.volume, "2020.47");
      assert.equal(view.floor_strike, "67749.99");
      assert.equal(view.strike_type, "greater");
      assert.equal(view.price_level_structure, "linear_cent");
      assert.equal(view.price_ranges, '[{"start":"0.0000","end":"1.0000","step":"0.0100"}]');
      assert.equal(view.rules_primary, "Settles Yes if ...");
      assert.equal(view.category, "Crypto");
      assert.equal(view.close_time, "2026-11-21T16:00:00.000Z");
    });

    test("as-of gives the market as it was after several changes, and refuses times before it existed", async () => {
      const ticker = "ASOF-26NOV21-T5";
      const steps: [number, Record<string, unknown>][] = [
        [0, { status: "initialized", yes_bid_dollars: "0.1000" }],
        [10, { status: "active", yes_bid_dollars: "0.2000" }],
        [20, { status: "active", yes_bid_dollars: "0.3000" }],
        [30, { status: "determined", result: "yes", settlement_value_dollars: "1.0000" }],
        [40, { status: "finalized", result: "yes", settlement_value_dollars: "1.0000" }],
      ];
      for (const [minute, fields] of steps) {
        await store.apply(MARKETS, [marketOf(ticker, { yes_bid_dollars: "0.3000", ...fields })], {
          source: "sync",
          atMs: minutes(minute),
        });
      }
      const at = async (minute: number) => store.marketAsOf(ticker, minutes(minute));
      assert.deepEqual([(await at(5)).status, (await at(5)).yes_bid], ["initialized", "0.1000"]);
      assert.deepEqual([(await at(15)).status, (await at(15)).yes_bid], ["active", "0.2000"]);
      assert.deepEqual([(await at(25)).status, (await at(25)).yes_bid], ["active", "0.3000"]);
      assert.deepEqual([(await at(35)).status, (await at(35)).result], ["determined", "yes"]);
      assert.equal((await at(30)).status, "determined", "a change at exactly T is visible at T");
      assert.deepEqual([(await at(45)).status, (await at(15)).result], ["finalized", null]);
      assert.equal((await at(25)).as_of, "2026-11-21T10:25:00.000Z");
      await assert.rejects(at(-1), NotFoundError);
    });

    test("partial patches touch only their fields; dry runs write nothing", async () => {
      const ticker = "PATCH-26NOV21-T1";
      await store.apply(MARKETS, [marketOf(ticker)], { source: "sync", atMs: minutes(0) });
      const dry = await store.apply(
        MARKETS,
        [{ key: ticker, values: { status: "determined", result: "no" } }],
        {
          source: "lifecycle:determined",
          atMs: minutes(1),
          partial: true,
          dryRun: true,
        },
      );
      assert.equal(dry.length, 1);
      assert.equal((await store.market(ticker)).status, "active", "dry run wrote nothing");
      assert.equal((await store.history("market", ticker)).length, 1);
      await store.apply(MARKETS, [{ key: ticker, values: { status: "determined", result: "no" } }], {
        source: "lifecycle:determined",
        atMs: minutes(1),
        partial: true,
      });
      const view = await store.market(ticker);
      assert.deepEqual(
        [view.status, view.result, view.yes_bid, view.title],
        ["determined", "no", "0.4500", `Market ${ticker}`],
      );
      assert.deepEqual(
        (await store.history("market", ticker)).slice(1).map((h) => [h.field, h.source]),
        [
          ["status", "lifecycle:determined"],
          ["result", "lifecycle:determined"],
        ],
      );
    });

    test("lists with filters (Kalshi status words too), search, closing-before and cursor pages", async () => {
      await store.apply(SERIES, [seriesOf("LSTA", "Crypto"), seriesOf("LSTB", "Economics")], {
        source: "sync",
        atMs: T0,
      });
      await store.apply(EVENTS, [eventOf("LSTA-26NOV21", "Crypto"), eventOf("LSTB-26NOV21", "Economics")], {
        source: "sync",
        atMs: T0,
      });
      const records = [
        ...[1, 2, 3, 4, 5].map((i) =>
          marketOf(`LSTA-26NOV21-T${i}`, { close_time: `2026-11-21T1${i}:00:00Z` }, "Crypto"),
        ),
        marketOf("LSTB-26NOV21-T1", { status: "initialized", title: "Will CPI rise?" }, "Economics"),
      ];
      await store.apply(MARKETS, records, { source: "sync", atMs: T0 });
      const tickers = async (filter: Parameters<SecmasterStore["listMarkets"]>[0]) =>
        (await store.listMarkets(filter)).items.map((m) => m.ticker);
      assert.deepEqual(await tickers({ series: "LSTB" }), ["LSTB-26NOV21-T1"]);
      assert.deepEqual(await tickers({ category: "Economics", status: ["unopened"] }), ["LSTB-26NOV21-T1"]);
      assert.deepEqual(await tickers({ series: "LSTA", closingBefore: Date.parse("2026-11-21T13:30:00Z") }), [
        "LSTA-26NOV21-T1",
        "LSTA-26NOV21-T2",
        "LSTA-26NOV21-T3",
      ]);
      assert.deepEqual(await tickers({ search: "cpi" }), ["LSTB-26NOV21-T1"]);
      const first = await store.listMarkets({ event: "LSTA-26NOV21", limit: 2 });
      const second = await store.listMarkets({ event: "LSTA-26NOV21", limit: 2, cursor: first.cursor });
      const third = await store.listMarkets({ event: "LSTA-26NOV21", limit: 2, cursor: second.cursor });
      assert.deepEqual(
        [...first.items, ...second.items, ...third.items].map((m) => m.ticker),
        [1, 2, 3, 4, 5].map((i) => `LSTA-26NOV21-T${i}`),
      );
      assert.equal(third.cursor, undefined);
      await assert.rejects(store.listMarkets({ limit: 0 }), ValidationError);
      const events = await store.listEvents({ category: "Crypto" });
      assert.deepEqual(
        events.items.map((e) => e.event_ticker),
        ["LSTA-26NOV21"],
      );
      assert.deepEqual(
        (await store.listSeries({ category: "Economics" })).items.map((s) => s.ticker),
        ["LSTB"],
      );
    });

    test("an unknown ticker is a NotFoundError suggesting close matches", async () => {
      await store.apply(MARKETS, [marketOf("TYPO-26NOV21-T67749.99")], { source: "sync", atMs: T0 });
      const error = await store.market("TYPO-26NOV21-T67749.9").catch((e: unknown) => e);
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.suggestion, "TYPO-26NOV21-T67749.99");
      assert.match(error.message, /Did you mean 'TYPO-26NOV21-T67749.99'/);
    });

    test("clock transitions: active at open_time, closed at close_time, with history", async () => {
      await store.apply(
        MARKETS,
        [
          marketOf("CLK-26NOV21-T1", {
            status: "initialized",
            open_time: "2026-11-21T10:05:00Z",
            close_time: "2026-11-21T11:00:00Z",
          }),
          marketOf("CLK-26NOV21-T2", { status: "active", close_time: "2026-11-21T10:07:00Z" }),
        ],
        { source: "sync", atMs: T0 },
      );
      const early = await applyClockTransitions(store, minutes(4));
      assert.ok(!early.some((c) => c.key.startsWith("CLK-")));
      const changes = (await applyClockTransitions(store, minutes(8))).filter((c) =>
        c.key.startsWith("CLK-"),
      );
      assert.deepEqual(
        changes.map((c) => [c.key, c.source, c.fields[0]?.new]),
        [
          ["CLK-26NOV21-T1", "clock:open_time", "active"],
          ["CLK-26NOV21-T2", "clock:close_time", "closed"],
        ],
      );
      assert.equal((await store.marketAsOf("CLK-26NOV21-T1", minutes(6))).status, "initialized");
    });

    test("daily snapshot: markets as of the end of that day, exact values, gzip JSONL", async () => {
      const dir = await tempDir("ssmd-snap-");
      try {
        const day = Date.parse("2026-11-22T00:00:00Z");
        await store.apply(MARKETS, [marketOf("SNAP-26NOV22-T1", { yes_bid_dollars: "0.1234" })], {
          source: "sync",
          atMs: day + 3_600_000,
        });
        await store.apply(MARKETS, [marketOf("SNAP-26NOV22-T1", { yes_bid_dollars: "0.9000" })], {
          source: "sync",
          atMs: day + 2 * 86_400_000,
        });
        const objects = createLocalStore(dir.path);
        const result = await writeMarketSnapshot(store, objects, {
          feed: "kalshi",
          date: "2026-11-22",
          nowMs: day + 3 * 86_400_000,
        });
        assert.equal(result.key, "kalshi/2026-11-22/markets.jsonl.gz");
        assert.equal(result.asOf, "2026-11-22T23:59:59.999Z");
        const lines = gunzipSync(await readFile(join(dir.path, result.key)))
          .toString("utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.equal(lines.length, result.markets);
        const snap = lines.find((line) => line.ticker === "SNAP-26NOV22-T1");
        assert.equal(snap?.yes_bid, "0.1234", "value as of that day, not today's 0.9000");
        assert.equal(snap?.as_of, "2026-11-22T23:59:59.999Z");
        const before = await writeMarketSnapshot(store, objects, {
          feed: "kalshi",
          date: "2026-11-20",
          nowMs: day,
        });
        assert.equal(before.markets, 0, "nothing existed on 2026-11-20");
        await assert.rejects(
          writeMarketSnapshot(store, objects, { feed: "kalshi", date: "2099-01-01", nowMs: day }),
          ValidationError,
        );
      } finally {
        await dir.cleanup();
      }
    });

    test("sync runs: a run still running when the next starts is marked interrupted; incremental bases on the last complete one of its scope", async () => {
      const first = await startRun(store.db, "full", "series:RUNA", minutes(100));
      const second = await startRun(store.db, "full", "series:RUNA", minutes(101));
      await finishRun(store.db, second, "complete", {}, minutes(102));
      const runs = await recentRuns(store.db, 2);
      assert.deepEqual(
        runs.map((run) => [run.id, run.status]),
        [
          [second, "complete"],
          [first, "interrupted"],
        ],
      );
      assert.equal(await lastCompletedStart(store.db, "series:RUNA"), minutes(101));
      assert.equal(await lastCompletedStart(store.db, "series:RUNB"), undefined);
    });
  });
}
