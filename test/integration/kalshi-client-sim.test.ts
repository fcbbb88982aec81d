/**
 * The Kalshi clients against the real simulator (src/components/sim) over loopback: signed
 * WebSocket upgrade and 401, every command, Kalshi's error codes, seq continuity per sid
 * (including seq-carrying acks), pings, the simulator's faults, and REST pagination/429 retry.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { KalshiCredentials } from "../../src/adapters/kalshi/credentials.js";
import { KalshiCommandError } from "../../src/adapters/kalshi/errors.js";
import { KalshiRestClient } from "../../src/adapters/kalshi/rest-client.js";
import { orderbookSnapshot } from "../../src/adapters/kalshi/rest-normalized.js";
import { KalshiWsClient, type KalshiWsClientOptions } from "../../src/adapters/kalshi/ws-client.js";
import { startSimulator } from "../../src/components/sim/index.js";
import type { Simulator } from "../../src/components/sim/simulator.js";
import { AuthError, NotFoundError, TimeoutError, UnavailableError } from "../../src/core/errors.js";
import { parseFrame } from "../../src/core/kalshi/parse-frame.js";
import { scanFrameHeader } from "../../src/core/kalshi/scan-frame.js";
import { loadPrivateKey } from "../../src/core/kalshi/sign.js";
import type { KalshiMessage } from "../../src/core/kalshi/types.js";

/** Everything one client saw, in arrival order. */
interface Seen {
  frames: string[];
  replies: KalshiMessage[];
  closes: number[];
}

function watch(client: KalshiWsClient): Seen {
  const seen: Seen = { frames: [], replies: [], closes: [] };
  client.onFrame((data) => seen.frames.push(data.toString()));
  client.onReply((message) => seen.replies.push(message));
  client.onClose((code) => seen.closes.push(code));
  return seen;
}

/** seq per sid, from data frames and from replies that carry one, in arrival order. */
function seqBySid(seen: Seen, sid: number): number[] {
  const seqs: number[] = [];
  for (const text of seen.frames) {
    const header = scanFrameHeader(text);
    if (header?.sid === sid && header.seq !== undefined) seqs.push(header.seq);
  }
  for (const reply of seen.replies) if (reply.sid === sid && reply.seq !== undefined) seqs.push(reply.seq);
  return seqs.sort((a, b) => a - b);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("Kalshi clients against the simulator", () => {
  let sim: Simulator;
  let credentials: KalshiCredentials;
  const clients: KalshiWsClient[] = [];

  before(async () => {
    sim = await startSimulator({
      port: 0,
      markets: 12,
      seed: 42,
      rate: 0,
      pingIntervalMs: 100,
      limits: { maxMarketsPerSubscription: 5 },
    });
    credentials = { keyId: sim.apiKeyId, privateKey: loadPrivateKey(sim.privateKeyPem) };
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await sim.stop();
  });

  const connect = async (extra: Partial<KalshiWsClientOptions> = {}) => {
    const client = new KalshiWsClient({ url: sim.wsUrl, credentials, commandTimeoutMs: 3000, ...extra });
    clients.push(client);
    const seen = watch(client);
    await client.connect();
    return { client, seen };
  };

  it("gets 401 → AuthError for a missing or wrong signature", async () => {
    await assert.rejects(connect({ credentials: undefined }), AuthError);
    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    await assert.rejects(connect({ credentials: { keyId: sim.apiKeyId, privateKey: stranger } }), AuthError);
    await assert.rejects(connect({ credentials: { ...credentials, keyId: "not-our-key" } }), AuthError);
    const skewed = connect({ now: () => Date.now() - 3_600_000 });
    await assert.rejects(skewed, AuthError, "a timestamp an hour old is refused");
  });

  it("subscribes to books, gets snapshots then contiguous deltas, and seq-carrying acks continue the seq", async () => {
    const { client, seen } = await connect();
    const [a, b, c] = sim.marketTickers();
    const [book] = await client.subscribe({
      channels: ["orderbook_delta"],
      market_tickers: [a!, b!],
      use_yes_price: false,
    });
    assert.equal(book?.channel, "orderbook_delta");
    const sid = book!.sid;
    await waitFor(
      () => seen.frames.filter((f) => f.includes('"orderbook_snapshot"')).length === 2,
      "2 snapshots",
    );
    sim.step(300);
    const tickers = await client.updateSubscription({ sid, action: "add_markets", market_tickers: [c!] });
    assert.deepEqual(new Set(tickers), new Set([a, b, c]));
    sim.step(300);
    await client.updateSubscription({ sid, action: "get_snapshot", market_tickers: [a!] });
    const removed = await client.updateSubscription({ sid, action: "delete_markets", market_tickers: [b!] });
    assert.deepEqual(new Set(removed), new Set([a, c]));
    assert.deepEqual(await client.listSubscriptions(), [{ channel: "orderbook_delta", sid }]);
    await client.unsubscribe([sid]);
    assert.deepEqual(await client.listSubscriptions(), []);
    const seqs = seqBySid(seen, sid);
    assert.ok(seqs.length > 6, `enough sequenced messages (${seqs.length})`);
    assert.deepEqual(
      seqs,
      seqs.map((_, index) => seqs[0]! + index),
      "one contiguous seq per sid across snapshots, deltas, ok and unsubscribed",
    );
    for (const text of seen.frames) assert.ok(parseFrame(text).ok, `data frame parses: ${text.slice(0, 60)}`);
    assert.ok(seen.frames.every((text) => !/"type":"(ok|subscribed|unsubscribed|error)"/.test(text)));
    const kinds = new Set(seen.replies.map((reply) => reply.kind));
    assert.deepEqual(kinds, new Set(["subscribed", "ok", "unsubscribed"]));
  });

  it("delivers ticker snapshots, trades and lifecycle as data frames", async () => {
    const { client, seen } = await connect();
    const [a] = sim.marketTickers();
    const refs = await client.subscribe({
      channels: ["ticker", "trade", "market_lifecycle_v2"],
      market_tickers: [a!],
      send_initial_snapshot: true,
    });
    assert.deepEqual(
      refs.map((ref) => ref.channel),
      ["ticker", "trade", "market_lifecycle_v2"],
    );
    assert.equal(new Set(refs.map((ref) => ref.sid)).size, 3);
    await waitFor(() => seen.frames.some((f) => f.startsWith('{"type":"ticker"')), "ticker snapshot");
    sim.step(2000);
    await waitFor(() => seen.frames.some((f) => f.includes('"type":"trade"')), "a trade");
    await client.close();
    assert.deepEqual(seen.closes.length, 1);
  });

  it("maps Kalshi's error replies to KalshiCommandError codes", async () => {
    const { client } = await connect();
    const tickers = sim.marketTickers();
    const code = (expected: number, ticker?: string) => (error: unknown) => {
      assert.ok(error instanceof KalshiCommandError, String(error));
      assert.equal(error.kalshiCode, expected, error.message);
      if (ticker) assert.equal(error.marketTicker, ticker);
      return true;
    };
    await assert.rejects(client.subscribe({ channels: [] }), code(3));
    await assert.rejects(client.subscribe({ channels: ["no_such_channel"] }), code(8));
    await assert.rejects(client.subscribe({ channels: ["orderbook_delta"] }), code(14));
    await assert.rejects(
      client.subscribe({ channels: ["orderbook_delta"], market_tickers: ["KXNOPE-1"] }),
      code(16, "KXNOPE-1"),
    );
    await assert.rejects(
      client.subscribe({ channels: ["orderbook_delta"], market_tickers: tickers.slice(0, 6) }),
      code(26),
    );
    await assert.rejects(client.unsubscribe([999]), code(7));
    await assert.rejects(
      client.updateSubscription({ sid: 999, action: "add_markets", market_tickers: [tickers[0]!] }),
      code(7),
    );
    const [ticker] = await client.subscribe({ channels: ["ticker"] });
    await assert.rejects(
      client.updateSubscription({ sid: ticker!.sid, action: "get_snapshot", market_tickers: [tickers[0]!] }),
      code(13),
    );
    assert.equal((await client.listSubscriptions()).length, 1, "the connection survives every error");
  });

  it("answers the simulator's pings and counts them as activity", async () => {
    const { client } = await connect();
    const start = client.lastActivityMs;
    await waitFor(() => client.lastActivityMs > start + 150, "pings every 100 ms");
    assert.equal(client.isOpen, true);
  });

  it("shows a stall as lastActivityMs standing still, and times out a slow upgrade", async () => {
    const { client } = await connect();
    await waitFor(() => client.lastActivityMs > 0, "activity");
    sim.injectFault({ kind: "stall", durationMs: 600 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const frozen = client.lastActivityMs;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(client.lastActivityMs, frozen, "no pings while stalled");
    await waitFor(() => client.lastActivityMs > frozen, "pings again after the stall", 2000);
    sim.injectFault({ kind: "slow_start", durationMs: 800 });
    await assert.rejects(connect({ connectTimeoutMs: 200 }), TimeoutError);
    sim.injectFault({ kind: "slow_start", durationMs: 0 });
  });

  it("passes faults through: skipped seq, duplicate, malformed frame, buffer overflow, disconnect", async () => {
    const { client, seen } = await connect();
    const [a] = sim.marketTickers();
    const [book] = await client.subscribe({ channels: ["orderbook_delta"], market_tickers: [a!] });
    await waitFor(() => seen.frames.length === 1, "the snapshot");
    sim.injectFault({ kind: "skip_seq" });
    sim.step(400);
    await waitFor(() => seqBySid(seen, book!.sid).length > 3, "deltas");
    const seqs = seqBySid(seen, book!.sid);
    assert.ok(
      seqs.some((seq, index) => index > 0 && seq === seqs[index - 1]! + 2),
      `a gap of one: ${seqs.join(",")}`,
    );
    const counted = seqBySid(seen, book!.sid).length;
    sim.injectFault({ kind: "duplicate_seq" });
    sim.step(400);
    await waitFor(() => seqBySid(seen, book!.sid).length > counted + 2, "more deltas");
    const after = seqBySid(seen, book!.sid);
    assert.ok(
      after.some((seq, index) => index > 0 && seq === after[index - 1]),
      "a duplicated seq is passed on as sent",
    );
    const before = seen.frames.length;
    sim.injectFault({ kind: "malformed" });
    await waitFor(() => seen.frames.length > before, "the malformed frame");
    assert.ok(
      seen.frames.some((text) => !parseFrame(text).ok),
      "malformed bytes reach onFrame untouched",
    );
    sim.injectFault({ kind: "buffer_overflow" });
    await waitFor(() => seen.replies.some((r) => r.kind === "error"), "error 25");
    const overflow = seen.replies.find((r) => r.kind === "error");
    assert.ok(overflow?.kind === "error" && overflow.code === 25 && overflow.sid === book!.sid);
    // A command in flight when the socket drops fails with UnavailableError (or was answered first).
    const pending = client.listSubscriptions().then(
      () => "answered",
      (error: unknown) => (error instanceof UnavailableError ? "failed" : String(error)),
    );
    sim.injectFault({ kind: "disconnect" });
    await waitFor(() => seen.closes.length === 1, "the close");
    assert.match(await pending, /^(answered|failed)$/);
    assert.equal(client.isOpen, false);
    await client.connect();
    assert.equal(
      (await client.listSubscriptions()).length,
      0,
      "a new connection starts with no subscriptions",
    );
  });

  it("in --auth optional mode connects unsigned and gets code 9 for private channels", async () => {
    const legacy = await startSimulator({ port: 0, markets: 3, seed: 1, rate: 0, auth: "optional" });
    try {
      const client = new KalshiWsClient({ url: legacy.wsUrl });
      clients.push(client);
      await client.connect();
      await assert.rejects(client.subscribe({ channels: ["fill"] }), (error: unknown) => {
        assert.ok(error instanceof KalshiCommandError && error.kalshiCode === 9, String(error));
        return true;
      });
      assert.equal((await client.subscribe({ channels: ["trade"] })).length, 1);
      await client.close();
    } finally {
      await legacy.stop();
    }
  });

  it("REST: pages through every market, agrees with the WS-side book, and rides out a 429 burst", async () => {
    const rest = new KalshiRestClient({
      baseUrl: sim.restUrl,
      credentials,
      rateLimit: { requestsPerSecond: 200, burst: 20 },
      retry: { maxAttempts: 8, baseDelayMs: 50, maxDelayMs: 400 },
    });
    const listed: string[] = [];
    for await (const market of rest.markets({ limit: 5, status: "open" })) listed.push(market.ticker);
    assert.deepEqual(new Set(listed), new Set(sim.marketTickers()));
    assert.equal(listed.length, new Set(listed).size, "no market twice across pages");
    const [ticker] = sim.marketTickers();
    const snapshot = await orderbookSnapshot(rest, ticker!);
    assert.deepEqual({ yes: snapshot.yes, no: snapshot.no }, sim.orderbook(ticker!));
    await assert.rejects(rest.market("KXNOPE-1"), NotFoundError);
    sim.injectFault({ kind: "rest_429", durationMs: 400 });
    const status = await rest.exchangeStatus();
    assert.equal(typeof status.exchange_active, "boolean");
    assert.ok(rest.limiter.currentRate < rest.limiter.configuredRate, "429s slowed the bucket");
  });
});
