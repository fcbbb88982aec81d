/**
 * Gateway order books against a reference computed independently (BigInt arithmetic on the
 * frames' decimal strings, no ssmd code) from the same frames: sub-cent prices, fractional
 * sizes, levels removed, snapshots replacing books; gap and disconnect records mark books
 * stale and no delta is applied until the next snapshot.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { resolveGatewayConfig } from "../../src/components/gateway/config.js";
import { createGateway } from "../../src/components/gateway/gateway.js";
import {
  deltaFrame,
  type GatewayEvent,
  gapRecord,
  type LevelText,
  MemoryGateway,
  Publisher,
  snapshotFrame,
  type TestClient,
  tradeFrame,
  waitUntil,
} from "../helpers/gateway-harness.js";
import { prng } from "../helpers/prng.js";

/** "0.4525" → 4525n (scale 4), "12.5" → 1250n (scale 2): independent of core/decimal. */
function units(text: string, scale: number): bigint {
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = text.replace(/^[-+]/, "").split(".");
  const value = BigInt(whole + fraction.padEnd(scale, "0").slice(0, scale));
  return negative ? -value : value;
}

class ReferenceBook {
  yes = new Map<bigint, bigint>();
  no = new Map<bigint, bigint>();

  snapshot(yes: LevelText[], no: LevelText[]): void {
    this.yes = new Map(yes.map(([p, s]) => [units(p, 4), units(s, 2)]));
    this.no = new Map(no.map(([p, s]) => [units(p, 4), units(s, 2)]));
  }

  delta(side: "yes" | "no", price: string, delta: string): void {
    const book = side === "yes" ? this.yes : this.no;
    const key = units(price, 4);
    const next = (book.get(key) ?? 0n) + units(delta, 2);
    if (next <= 0n) book.delete(key);
    else book.set(key, next);
  }

  /** YES terms: bids descending, asks = 10000 − NO bid ascending; as [price units, size units]. */
  view(): { bids: [number, number][]; asks: [number, number][] } {
    const bids = [...this.yes]
      .sort((a, b) => (a[0] > b[0] ? -1 : 1))
      .map(([p, s]): [number, number] => [Number(p), Number(s)]);
    const asks = [...this.no]
      .map(([p, s]): [number, number] => [Number(10_000n - p), Number(s)])
      .sort((a, b) => a[0] - b[0]);
    return { bids, asks };
  }
}

/** A client-side book from gateway events (snapshot replaces, update sets absolute sizes). */
function clientBook(events: GatewayEvent[], ticker: string) {
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  for (const event of events) {
    if (event.ticker !== ticker) continue;
    if (event.type === "status" && event.state !== "live") {
      bids.clear();
      asks.clear();
    }
    if (event.type !== "orderbook") continue;
    if (event.snapshot === true) {
      bids.clear();
      asks.clear();
    }
    for (const [price, size] of event.bids as [number, number][]) apply(bids, price, size);
    for (const [price, size] of event.asks as [number, number][]) apply(asks, price, size);
  }
  return {
    bids: [...bids].sort((a, b) => b[0] - a[0]),
    asks: [...asks].sort((a, b) => a[0] - b[0]),
  };
}

function apply(book: Map<number, number>, price: number, size: number): void {
  const key = Math.round(price * 10_000);
  if (size === 0) book.delete(key);
  else book.set(key, Math.round(size * 100));
}

function restLevels(levels: [number, number][]): [number, number][] {
  return levels.map(([p, s]) => [Math.round(p * 10_000), Math.round(s * 100)]);
}

const price = (unitsValue: number) => (unitsValue / 10_000).toFixed(4);
const size = (unitsValue: number) => (unitsValue / 100).toFixed(2);
const TICKERS = ["KXBTCD-26NOV21-T67749.99", "KXETHD-26NOV21-T3500", "KXFED-26DEC-H0"];

describe("gateway order books", () => {
  const references = new Map(TICKERS.map((ticker) => [ticker, new ReferenceBook()]));
  let gw: MemoryGateway;
  let client: TestClient;
  let seq = 1;

  const publishSnapshot = async (ticker: string, random: () => number, conn?: string) => {
    const yes: LevelText[] = [];
    const no: LevelText[] = [];
    for (let i = 0; i < 6; i++)
      yes.push([price(100 + Math.floor(random() * 4800)), size(1 + Math.floor(random() * 50_000))]);
    for (let i = 0; i < 6; i++)
      no.push([price(100 + Math.floor(random() * 4800)), size(1 + Math.floor(random() * 50_000))]);
    const unique = (levels: LevelText[]) => [...new Map(levels.map((l) => [l[0], l])).values()];
    references.get(ticker)!.snapshot(unique(yes), unique(no));
    await gw.publisher.data("orderbook", ticker, snapshotFrame(ticker, unique(yes), unique(no), seq++), conn);
  };

  const publishDeltas = async (count: number, random: () => number, tickers = TICKERS) => {
    for (let i = 0; i < count; i++) {
      const ticker = tickers[Math.floor(random() * tickers.length)]!;
      const reference = references.get(ticker)!;
      const side = random() < 0.5 ? "yes" : "no";
      const existing = [...(side === "yes" ? reference.yes : reference.no).keys()];
      const useExisting = existing.length > 0 && random() < 0.6;
      const p = useExisting
        ? Number(existing[Math.floor(random() * existing.length)])
        : 100 + Math.floor(random() * 4800);
      // Negative deltas sometimes remove the whole level (or more).
      const d = random() < 0.35 ? -Math.floor(random() * 60_000) : 1 + Math.floor(random() * 9_999);
      const deltaText = d < 0 ? `-${size(-d)}` : size(d);
      reference.delta(side, price(p), deltaText);
      await gw.publisher.data("orderbook", ticker, deltaFrame(ticker, side, price(p), deltaText, seq++));
      if (i % 25 === 0)
        await gw.publisher.data("trade", ticker, tradeFrame(ticker, `t${i}`, price(p), "1.25", side));
    }
  };

  const assertBooksMatch = async (tickers: string[], events: GatewayEvent[]) => {
    for (const ticker of tickers) {
      const expected = references.get(ticker)!.view();
      assert.deepEqual(clientBook(events, ticker), expected, `client book of ${ticker}`);
      const rest = (await (
        await fetch(`${gw.gateway.url}/v1/markets/${encodeURIComponent(ticker)}/orderbook`)
      ).json()) as {
        state: string;
        bids: [number, number][];
        asks: [number, number][];
      };
      assert.equal(rest.state, "live");
      assert.deepEqual(
        { bids: restLevels(rest.bids), asks: restLevels(rest.asks) },
        expected,
        `REST book of ${ticker}`,
      );
    }
  };

  before(async () => {
    gw = await MemoryGateway.start("BOOKS");
  });
  after(async () => {
    client?.close();
    await gw.stop();
  });

  it("keeps books equal to the reference through snapshots and 900 deltas", async () => {
    const random = prng(42);
    for (const ticker of TICKERS) await publishSnapshot(ticker, random);
    await waitUntil(() => gw.gateway.store.markets.size === TICKERS.length, "markets known");
    client = await gw.client();
    client.send({ action: "subscribe", symbols: TICKERS });
    await client.waitFor(
      (events) => events.filter((e) => e.type === "orderbook").length === TICKERS.length,
      "snapshots",
    );
    const before = client.of("orderbook").length;
    await publishDeltas(900, random);
    await client.waitFor(
      (events) => events.filter((e) => e.type === "orderbook").length === before + 900,
      "900 updates",
    );
    await assertBooksMatch(TICKERS, client.events);
    // Sub-cent prices and fractional sizes made it through exactly.
    const levels = client
      .of("orderbook")
      .flatMap((e) => [...(e.bids as number[][]), ...(e.asks as number[][])]);
    assert.ok(
      levels.some(([p]) => Math.round(p! * 10_000) % 100 !== 0),
      "some sub-cent price",
    );
    assert.ok(
      levels.some(([, s]) => Math.round(s! * 100) % 100 !== 0),
      "some fractional size",
    );
    assert.ok(client.of("trade").length >= 30);
    // A client subscribing now gets one snapshot per book, equal to the reference.
    const late = await gw.client(`?symbols=${TICKERS.join(",")}&channels=orderbook`);
    await late.waitFor((events) => events.length === TICKERS.length, "late snapshots");
    assert.ok(late.events.every((e) => e.type === "orderbook" && e.snapshot === true));
    await assertBooksMatch(TICKERS, late.events);
    late.close();
  });

  it("marks a book stale on a gap record and applies no delta until the next snapshot", async () => {
    const random = prng(7);
    const [gapped, other] = TICKERS as [string, string];
    await gw.publisher.status("gap", gapRecord("ssmd_gap", [gapped], "c-0-1"));
    await client.waitFor(
      (events) => events.some((e) => e.type === "status" && e.ticker === gapped && e.state === "stale"),
      "stale status",
    );
    const stale = client.of("status", gapped).at(-1)!;
    assert.equal(stale.reason, "seq_gap");
    const updatesBefore = client.of("orderbook", gapped).length;
    // Deltas across the gap: the reference would change, the gateway must not apply them.
    for (let i = 0; i < 20; i++) {
      await gw.publisher.data("orderbook", gapped, deltaFrame(gapped, "yes", "0.5001", "3.00", seq++));
    }
    await gw.publisher.data("orderbook", other, deltaFrame(other, "no", "0.3333", "2.50", seq++));
    references.get(other)!.delta("no", "0.3333", "2.50");
    await client.waitFor(
      (events) =>
        events.some(
          (e) =>
            e.ticker === other &&
            e.type === "orderbook" &&
            (e.asks as number[][]).some(([p]) => p === 0.6667),
        ),
      "other book still live",
    );
    assert.equal(client.of("orderbook", gapped).length, updatesBefore, "no update for the stale book");
    const restStale = (await (
      await fetch(`${gw.gateway.url}/v1/markets/${encodeURIComponent(gapped)}/orderbook`)
    ).json()) as Record<string, unknown>;
    assert.equal(restStale.state, "stale");
    assert.deepEqual(restStale.bids, []);
    const health = (await (await fetch(`${gw.gateway.url}/v1/health`)).json()) as Record<string, number>;
    assert.equal(health.books_stale, 1);
    assert.ok((health.gaps_today ?? 0) >= 1);
    // The next snapshot makes it live again; later deltas apply.
    await publishSnapshot(gapped, random);
    await client.waitFor(
      (events) => events.some((e) => e.type === "status" && e.ticker === gapped && e.state === "live"),
      "live status",
    );
    await publishDeltas(100, random, [gapped]);
    await client.waitFor(
      (events) =>
        events.filter((e) => e.type === "orderbook" && e.ticker === gapped).length === updatesBefore + 101,
      "updates after snapshot",
    );
    await assertBooksMatch(TICKERS, client.events);
  });

  it("a gap on a trade subscription leaves the books live (no snapshot would follow)", async () => {
    const ticker = TICKERS[1]!;
    const gapsBefore = gw.gateway.store.counters.gaps;
    // Trades in the harness travel on sid 2 of connection c-0-1; books on sid 1.
    await gw.publisher.status("gap", gapRecord("ssmd_gap", [ticker], "c-0-1", "seq_gap", 2));
    await waitUntil(() => gw.gateway.store.counters.gaps === gapsBefore + 1, "gap counted");
    assert.equal(gw.gateway.store.market(ticker)?.state, "live");
    // The same gap on the book subscription does reset it.
    await gw.publisher.status("gap", gapRecord("ssmd_gap", [ticker], "c-0-1", "seq_gap", 1));
    await waitUntil(() => gw.gateway.store.market(ticker)?.state === "stale", "stale after a book gap");
    await publishSnapshot(ticker, prng(11));
    await waitUntil(() => gw.gateway.store.market(ticker)?.state === "live", "live again");
  });

  it("a disconnect record for a connection resets only the books that connection fed", async () => {
    const random = prng(9);
    const [fromOther] = TICKERS.slice(2) as [string];
    // The third market is now fed by another connection.
    await publishSnapshot(fromOther, random, "c-1-1");
    await waitUntil(() => gw.gateway.store.market(fromOther)?.conn === "c-1-1", "conn switched");
    await gw.publisher.status("disconnect", gapRecord("ssmd_disconnect", [], "c-0-1", "disconnect"));
    await waitUntil(() => gw.gateway.store.market(TICKERS[0]!)?.state === "stale", "first book stale");
    assert.equal(gw.gateway.store.market(TICKERS[1]!)?.state, "stale");
    assert.equal(gw.gateway.store.market(fromOther)?.state, "live");
    const metrics = await (await fetch(`${gw.gateway.url}/metrics`)).text();
    assert.match(metrics, /ssmd_gateway_books_stale 2/);
    assert.match(metrics, /ssmd_gateway_gaps_total 4/);
  });
});

describe("gateway stream gaps", () => {
  it("resets every book when stream messages vanished before the gateway read them", async () => {
    const bus = createMemoryBus();
    const prefix = "sgap.kalshi";
    await bus.ensureStream({ name: "SGAP", subjects: [`${prefix}.>`], storage: "memory", maxMessages: 2 });
    const gateway = createGateway(
      resolveGatewayConfig({ stream: "SGAP", prefix, host: "127.0.0.1", port: 0 }),
      {
        bus,
        logger: silentLogger,
      },
    );
    await gateway.start();
    try {
      const publisher = new Publisher(bus, prefix);
      const ticker = TICKERS[0]!;
      await publisher.data("orderbook", ticker, snapshotFrame(ticker, [["0.4000", "1.00"]], []));
      await waitUntil(() => gateway.store.market(ticker)?.state === "live", "live book");
      // Three appends in one tick: the stream keeps 2, so one delta is gone before it is read.
      await Promise.all(
        [1, 2, 3].map((n) =>
          publisher.data("orderbook", ticker, deltaFrame(ticker, "yes", "0.4000", "1.00", n + 1)),
        ),
      );
      await waitUntil(() => gateway.store.market(ticker)?.state === "stale", "stale book");
      assert.equal(gateway.store.market(ticker)?.staleReason, "stream_gap");
      assert.equal(gateway.store.counters.deltasWithoutBook, 2, "the deltas after the gap were not applied");
    } finally {
      await gateway.stop();
      await bus.close();
    }
  });
});
