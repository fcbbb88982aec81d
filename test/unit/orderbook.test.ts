/**
 * OrderBook: hand-checked cases from PROTOCOL.md, then a property test that drives random
 * snapshots and deltas (sub-cent prices, fractional sizes, levels going negative) through the
 * book and through an independent reference (a plain Map per leg, sorted on demand), seeded so a
 * failure reproduces.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Count, complement, type Price } from "../../src/core/decimal.js";
import { parseFrame } from "../../src/core/kalshi/parse-frame.js";
import type {
  KalshiMessage,
  Level,
  OrderbookDelta,
  OrderbookSnapshot,
  Side,
} from "../../src/core/kalshi/types.js";
import { OrderBook } from "../../src/core/orderbook.js";
import { prng } from "../helpers/prng.js";

function parsed<K extends KalshiMessage["kind"]>(text: string, kind: K): Extract<KalshiMessage, { kind: K }> {
  const result = parseFrame(text);
  assert.ok(result.ok, result.ok ? "" : result.error.message);
  assert.equal(result.message.kind, kind);
  return result.message as Extract<KalshiMessage, { kind: K }>;
}

const SNAPSHOT =
  '{"type":"orderbook_snapshot","sid":2,"seq":2,"msg":{"market_ticker":"FED-23DEC-T3.00","yes_dollars_fp":[["0.0800","300.00"],["0.2200","333.00"]],"no_dollars_fp":[["0.5400","20.00"],["0.5600","146.00"]]}}';

function delta(side: Side, price: string, change: string): OrderbookDelta {
  return parsed(
    `{"type":"orderbook_delta","sid":2,"seq":3,"msg":{"market_ticker":"FED-23DEC-T3.00","price_dollars":"${price}","delta_fp":"${change}","side":"${side}"}}`,
    "orderbook_delta",
  );
}

describe("OrderBook", () => {
  it("derives YES asks from NO bids (PROTOCOL.md §3.1 example)", () => {
    const book = new OrderBook("FED-23DEC-T3.00");
    book.applySnapshot(parsed(SNAPSHOT, "orderbook_snapshot"));
    assert.deepEqual(book.bestYesBid(), [2200, 33300]);
    assert.deepEqual(book.bestNoBid(), [5600, 14600]);
    assert.deepEqual(book.bestYesAsk(), [4400, 14600]); // 1 − 0.56
    assert.deepEqual(book.bestNoAsk(), [7800, 33300]); // 1 − 0.22
    assert.deepEqual(book.view(), {
      bids: [
        [2200, 33300],
        [800, 30000],
      ],
      asks: [
        [4400, 14600],
        [4600, 2000],
      ],
    });
    assert.deepEqual(book.levels("no", 1), [[5600, 14600]]);
    assert.equal(book.isCrossed(), false);
  });

  it("refuses deltas before a snapshot and after a reset", () => {
    const book = new OrderBook("FED-23DEC-T3.00");
    assert.equal(book.applyDelta(delta("yes", "0.1000", "5.00")), false);
    assert.equal(book.hasSnapshot, false);
    assert.equal(book.bestYesBid(), undefined);
    book.applySnapshot(parsed(SNAPSHOT, "orderbook_snapshot"));
    assert.equal(book.applyDelta(delta("yes", "0.1000", "5.00")), true);
    book.reset();
    assert.equal(book.hasSnapshot, false);
    assert.deepEqual(book.view(), { bids: [], asks: [] });
    assert.equal(book.applyDelta(delta("yes", "0.1000", "5.00")), false);
  });

  it("removes levels at or below zero and keeps sub-cent prices and fractional sizes exact", () => {
    const book = new OrderBook("FED-23DEC-T3.00");
    book.applySnapshot(parsed(SNAPSHOT, "orderbook_snapshot"));
    book.applyDelta(delta("yes", "0.2200", "-333.00"));
    assert.deepEqual(book.bestYesBid(), [800, 30000]);
    book.applyDelta(delta("yes", "0.0800", "-400.00")); // below zero: removed, not negative
    assert.equal(book.bestYesBid(), undefined);
    book.applyDelta(delta("yes", "0.2995", "0.01"));
    book.applyDelta(delta("yes", "0.2995", "0.02"));
    assert.deepEqual(book.bestYesBid(), [2995, 3]);
    book.applyDelta(delta("no", "0.7005", "1.50"));
    assert.deepEqual(book.bestYesAsk(), [2995, 150]);
    assert.equal(book.isCrossed(), true, "YES bid 0.2995 + NO bid 0.7005 = $1: locked");
  });

  it("rejects a message for another market with a ValidationError", () => {
    const book = new OrderBook("OTHER");
    assert.throws(() => book.applySnapshot(parsed(SNAPSHOT, "orderbook_snapshot")), {
      name: "ValidationError",
    });
  });

  it("converts NO prices sent on the YES scale (use_yes_price)", () => {
    const book = new OrderBook("FED-23DEC-T3.00", { noPricesOnYesScale: true });
    book.applySnapshot(parsed(SNAPSHOT, "orderbook_snapshot")); // NO levels 0.54/0.56 mean NO 0.46/0.44
    assert.deepEqual(book.bestNoBid(), [4600, 2000]);
    book.applyDelta(delta("no", "0.7000", "3.00")); // NO bid 0.30
    assert.equal(book.sizeAt("no", 3000), 300);
  });
});

/** Independent reference: Map<price, size> per leg; best = max key; asks computed from scratch. */
class ReferenceBook {
  yes = new Map<Price, Count>();
  no = new Map<Price, Count>();
  snapshot(yes: Level[], no: Level[]): void {
    this.yes = new Map();
    this.no = new Map();
    for (const [price, size] of yes) this.change(this.yes, price, size);
    for (const [price, size] of no) this.change(this.no, price, size);
  }
  change(leg: Map<Price, Count>, price: Price, size: Count): void {
    const next = (leg.get(price) ?? 0) + size;
    if (next > 0) leg.set(price, next);
    else leg.delete(price);
  }
  sorted(leg: Map<Price, Count>): Level[] {
    return [...leg.entries()].sort((a, b) => b[0] - a[0]);
  }
  view(): { bids: Level[]; asks: Level[] } {
    const asks = this.sorted(this.no)
      .map(([price, size]): Level => [complement(price), size])
      .sort((a, b) => a[0] - b[0]);
    return { bids: this.sorted(this.yes), asks };
  }
}

function randomPrice(random: () => number): Price {
  // 1e-4 dollar grid between 0.0001 and 0.9999; half the time on a cent, some on deci-cents.
  const roll = random();
  if (roll < 0.5) return (1 + Math.floor(random() * 99)) * 100;
  if (roll < 0.8) return (1 + Math.floor(random() * 999)) * 10;
  return 1 + Math.floor(random() * 9999);
}

function randomLevels(random: () => number): Level[] {
  const levels: Level[] = [];
  const count = Math.floor(random() * 12);
  for (let index = 0; index < count; index++)
    levels.push([randomPrice(random), 1 + Math.floor(random() * 50_000)]);
  return levels.sort((a, b) => a[0] - b[0]);
}

describe("OrderBook against a reference (seeded property test)", () => {
  for (const seed of [1, 7, 42, 1234, 99_991]) {
    it(`seed ${seed}: 3000 random snapshots/deltas agree`, () => {
      const random = prng(seed);
      const book = new OrderBook("PROP-1");
      const reference = new ReferenceBook();
      const pricesSeen: Price[] = [];
      for (let step = 0; step < 3000; step++) {
        if (step % 500 === 0) {
          const snapshot: OrderbookSnapshot = {
            kind: "orderbook_snapshot",
            sid: 1,
            seq: step,
            ticker: "PROP-1",
            marketId: undefined,
            yes: randomLevels(random),
            no: randomLevels(random),
          };
          book.applySnapshot(snapshot);
          reference.snapshot(snapshot.yes, snapshot.no);
          for (const [price] of [...snapshot.yes, ...snapshot.no]) pricesSeen.push(price);
          continue;
        }
        const side: Side = random() < 0.5 ? "yes" : "no";
        const reuse = pricesSeen.length > 0 && random() < 0.6;
        const price = reuse ? pricesSeen[Math.floor(random() * pricesSeen.length)]! : randomPrice(random);
        pricesSeen.push(price);
        const change = Math.floor(random() * 40_000) - 20_000; // signed, fractional contracts
        book.applyDelta({
          kind: "orderbook_delta",
          sid: 1,
          seq: step,
          ticker: "PROP-1",
          marketId: undefined,
          side,
          price,
          delta: change,
          tsMs: undefined,
          clientOrderId: undefined,
        });
        reference.change(side === "yes" ? reference.yes : reference.no, price, change);
        if (step % 25 === 0 || step > 2950) {
          const expected = reference.view();
          assert.deepEqual(book.view(), expected, `seed ${seed} step ${step}`);
          assert.deepEqual(book.bestYesBid(), expected.bids[0]);
          assert.deepEqual(book.bestYesAsk(), expected.asks[0]);
          assert.deepEqual(book.view(3), {
            bids: expected.bids.slice(0, 3),
            asks: expected.asks.slice(0, 3),
          });
          const crossed =
            expected.bids[0] !== undefined &&
            expected.asks[0] !== undefined &&
            expected.bids[0][0] >= expected.asks[0][0];
          assert.equal(book.isCrossed(), crossed);
        }
      }
    });
  }
});
