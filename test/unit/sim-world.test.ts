/** The simulator's world: determinism by seed, books that never cross, tickers and trades that agree with the book, lifecycle. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Generator } from "../../src/components/sim/generator.js";
import { World } from "../../src/components/sim/world.js";
import { encodeMessage } from "../../src/core/kalshi/encode.js";
import type {
  MarketDataMessage,
  MarketLifecycle,
  OrderbookDelta,
  Side,
} from "../../src/core/kalshi/types.js";

const START = Date.UTC(2026, 10, 21, 17, 0, 0);

function run(seed: number, messages: number, lifecycleIntervalMs = 60_000, markets = 20) {
  const world = new World({ seed, markets, startTimeMs: START, lifecycleIntervalMs, tradeHistory: 10_000 });
  const initial = world.populate();
  const out: MarketDataMessage[] = [];
  const generator = new Generator(
    world,
    (message) => out.push(message),
    1000,
    () => 0,
  );
  generator.produce(messages);
  return { world, initial, out };
}

describe("sim world: determinism", () => {
  it("produces the same markets and message stream for the same seed", () => {
    const a = run(42, 5000);
    const b = run(42, 5000);
    assert.deepEqual(
      a.initial.map((market) => market.ticker),
      b.initial.map((market) => market.ticker),
    );
    const encode = (messages: MarketDataMessage[]) =>
      messages.map((m) => encodeMessage(m, { format: "current" }));
    assert.deepEqual(encode(a.out), encode(b.out));
  });

  it("produces a different stream for another seed", () => {
    const a = run(1, 500);
    const b = run(2, 500);
    assert.notDeepEqual(
      a.out.map((m) => encodeMessage(m, { format: "current" })),
      b.out.map((m) => encodeMessage(m, { format: "current" })),
    );
  });
});

describe("sim world: markets", () => {
  it("lists Kalshi-shaped tickers, some with '.', sub-cent structures and fractional sizes", () => {
    const { initial } = run(7, 0);
    assert.ok(initial.some((market) => /^KXBTCD-26NOV21\d\d-T\d+\.99$/.test(market.ticker)));
    assert.ok(initial.some((market) => market.structure === "deci_cent"));
    assert.ok(initial.some((market) => market.structure === "tapered_deci_cent"));
    assert.ok(initial.some((market) => market.structure === "linear_cent"));
    const sizes = initial.flatMap((market) => market.book.sorted("yes").map(([, size]) => size));
    assert.ok(
      sizes.some((size) => size % 100 !== 0),
      "some fractional sizes",
    );
  });
});

describe("sim world: order flow agrees with the book", () => {
  it("never crosses, and every ticker/trade matches the book rebuilt from snapshots + deltas", () => {
    const { world, out } = run(3, 20_000);
    const books = new Map<string, Record<Side, Map<number, number>>>();
    const fresh = () => ({ yes: new Map<number, number>(), no: new Map<number, number>() });
    // The books before any message: the same seed with no steps taken.
    for (const market of run(3, 0).initial) {
      const book = fresh();
      for (const [price, size] of market.book.sorted("yes")) book.yes.set(price, size);
      for (const [price, size] of market.book.sorted("no")) book.no.set(price, size);
      books.set(market.ticker, book);
    }
    let tickers = 0;
    let trades = 0;
    // A trade matches a negative delta from just before the ticker that precedes it; a sweep
    // (several levels) shows as several trades after one ticker.
    let sinceTicker: OrderbookDelta[] = [];
    let fills: OrderbookDelta[] = [];
    let tradesAfterTicker = 0;
    let sweeps = 0;
    const best = (levels: Map<number, number>) => Math.max(0, ...levels.keys());
    for (const message of out) {
      if (message.kind === "orderbook_delta") {
        const book = books.get(message.ticker)!;
        const size = (book[message.side].get(message.price) ?? 0) + message.delta;
        assert.ok(size >= 0, "delta never takes a level below zero");
        if (size === 0) book[message.side].delete(message.price);
        else book[message.side].set(message.price, size);
        assert.ok(best(book.yes) + best(book.no) < 10_000 || book.no.size === 0, "book never crosses");
        sinceTicker.push(message);
      } else if (message.kind === "ticker") {
        const book = books.get(message.ticker)!;
        assert.equal(message.yesBid, best(book.yes));
        assert.equal(message.yesAsk, book.no.size ? 10_000 - best(book.no) : 10_000);
        assert.equal(message.yesBidSize, book.yes.get(best(book.yes)) ?? 0);
        tickers++;
        fills = sinceTicker.filter((delta) => delta.delta < 0);
        sinceTicker = [];
        tradesAfterTicker = 0;
      } else if (message.kind === "trade") {
        const restingSide = message.takerSide === "yes" ? "no" : "yes";
        const restingPrice = restingSide === "yes" ? message.yesPrice : message.noPrice;
        const fill = fills.findIndex(
          (delta) =>
            delta.ticker === message.ticker &&
            delta.side === restingSide &&
            delta.price === restingPrice &&
            delta.delta === -message.count,
        );
        assert.ok(fill >= 0, "every trade executed against a level the book just lost");
        fills.splice(fill, 1);
        if (++tradesAfterTicker === 2) sweeps++;
        assert.equal(message.yesPrice + message.noPrice, 10_000);
        trades++;
      } else if (message.kind === "market_lifecycle_v2" && message.eventType === "created") {
        const market = world.markets.get(message.ticker)!;
        const book = fresh();
        // New listings start with a seeded book that has no snapshot message; read it from a same-seed replay.
        books.set(message.ticker, book);
        const twin = run(3, out.indexOf(message) + 1).world.markets.get(message.ticker)!;
        for (const [price, size] of twin.book.sorted("yes")) book.yes.set(price, size);
        for (const [price, size] of twin.book.sorted("no")) book.no.set(price, size);
        assert.equal(market.ticker, twin.ticker);
      }
    }
    assert.ok(tickers > 1000 && trades > 500, `enough activity (tickers ${tickers}, trades ${trades})`);
    assert.ok(sweeps > 0, "some trades sweep several levels");
    for (const market of world.activeMarkets()) {
      const rebuilt = books.get(market.ticker)!;
      assert.deepEqual(
        market.book.sorted("yes"),
        [...rebuilt.yes.entries()].sort((a, b) => a[0] - b[0]),
      );
    }
  });
});

describe("sim world: lifecycle", () => {
  it("determines, settles and replaces markets over simulated time", () => {
    const { world, out } = run(5, 20_000, 500, 10);
    const events = out.filter((m): m is MarketLifecycle => m.kind === "market_lifecycle_v2");
    const types = new Set(events.map((event) => event.eventType));
    for (const type of ["determined", "settled", "created", "activated"]) assert.ok(types.has(type), type);
    assert.ok(out.some((m) => m.kind === "event_lifecycle"));
    assert.equal(world.activeMarkets().length, 10, "closed markets are replaced");
    for (const event of events) {
      if (event.eventType !== "settled") continue;
      const determined = events.findIndex((e) => e.ticker === event.ticker && e.eventType === "determined");
      assert.ok(determined >= 0 && determined < events.indexOf(event), "determined before settled");
      assert.equal(world.markets.get(event.ticker)?.status, "finalized");
    }
  });
});
