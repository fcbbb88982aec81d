/**
 * KalshiRestClient against a small Kalshi-shaped HTTP server on 127.0.0.1 (real sockets, real
 * fetch): pagination, signing, 429/5xx retry with backoff, typed errors, timeouts.
 */
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { Registry } from "prom-client";
import { KalshiRestClient, type KalshiRestClientOptions } from "../../src/adapters/kalshi/rest-client.js";
import { normalizedMarket, normalizedMarkets } from "../../src/adapters/kalshi/rest-normalized.js";
import {
  AuthError,
  NotFoundError,
  ParseError,
  ProtocolError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from "../../src/core/errors.js";
import { verifySignature } from "../../src/core/kalshi/sign.js";
import { freePort } from "../helpers/ports.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKey = createPublicKey(privateKey);
const MARKETS = Array.from({ length: 25 }, (_, i) => ({
  ticker: `KXTEST-26JAN-T${i}.5`,
  event_ticker: "KXTEST-26JAN",
  status: "active",
  yes_bid_dollars: "0.4200",
}));

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;
interface Seen {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Default routes; tests override one route at a time with `override`. */
function defaultRoute(_req: IncomingMessage, res: ServerResponse, url: URL): void {
  const [status, body] = defaultAnswer(url);
  json(res, status, body);
}

function defaultAnswer(url: URL): [number, unknown] {
  const path = url.pathname;
  if (path === "/trade-api/v2/markets") {
    const limit = Number(url.searchParams.get("limit") ?? 100);
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const next = start + limit < MARKETS.length ? String(start + limit) : "";
    return [200, { markets: MARKETS.slice(start, start + limit), cursor: next }];
  }
  const market = /^\/trade-api\/v2\/markets\/([^/]+)$/.exec(path);
  if (market) {
    const found = MARKETS.find((m) => m.ticker === decodeURIComponent(market[1] ?? ""));
    return found ? [200, { market: found }] : [404, { code: "not_found", message: "market not found" }];
  }
  if (path === "/trade-api/v2/exchange/status") return [200, { exchange_active: true, trading_active: true }];
  return [404, { code: "not_found", message: "no route" }];
}

describe("KalshiRestClient over HTTP", () => {
  let server: Server;
  let baseUrl: string;
  let seen: Seen[] = [];
  let override: Handler | undefined;

  before(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      seen.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
      (override ?? defaultRoute)(req, res, url);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trade-api/v2`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    seen = [];
    override = undefined;
  });

  const client = (extra: Partial<KalshiRestClientOptions> = {}) =>
    new KalshiRestClient({
      baseUrl,
      rateLimit: { requestsPerSecond: 1000, burst: 100 },
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
      timeoutMs: 2000,
      ...extra,
    });

  it("follows the cursor until it is empty and forwards the filters", async () => {
    const tickers: string[] = [];
    for await (const market of client().markets({ limit: 10, status: "open", tickers: ["A", "B"] })) {
      tickers.push(market.ticker);
    }
    assert.deepEqual(
      tickers,
      MARKETS.map((m) => m.ticker),
    );
    assert.equal(seen.length, 3);
    assert.deepEqual(
      seen.map((s) => s.query.get("cursor")),
      [null, "10", "20"],
    );
    assert.ok(seen.every((s) => s.query.get("status") === "open" && s.query.get("tickers") === "A,B"));
    assert.ok(
      seen.every((s) => s.headers["kalshi-access-key"] === undefined),
      "unsigned without credentials",
    );
  });

  it("stops paging when the consumer breaks out", async () => {
    let count = 0;
    for await (const _ of client().markets({ limit: 10 })) {
      if (++count === 3) break;
    }
    assert.equal(seen.length, 1);
  });

  it("signs the path with /trade-api/v2 and without the query string", async () => {
    const signed = client({ credentials: { keyId: "key-123", privateKey } });
    const market = await signed.market("KXTEST-26JAN-T3.5");
    assert.equal(market.ticker, "KXTEST-26JAN-T3.5");
    assert.equal(market["yes_bid_dollars"], "0.4200", "raw fields are kept");
    for await (const _ of signed.markets({ limit: 50 })) break;
    assert.equal(seen.length, 2);
    for (const request of seen) {
      const { headers } = request;
      assert.equal(headers["kalshi-access-key"], "key-123");
      const ok = verifySignature(
        publicKey,
        String(headers["kalshi-access-timestamp"]),
        "GET",
        request.path,
        String(headers["kalshi-access-signature"]),
      );
      assert.equal(ok, true, `signature for ${request.path}`);
    }
    assert.equal(seen[1]?.query.get("limit"), "50");
  });

  it("retries 429 with backoff, slows the bucket down, and counts retries", async () => {
    let calls = 0;
    override = (req, res, url) => {
      calls++;
      if (calls <= 2) return json(res, 429, { error: "too many requests" });
      defaultRoute(req, res, url);
    };
    const registry = new Registry();
    const c = client({ registry });
    const status = await c.exchangeStatus();
    assert.equal(status.exchange_active, true);
    assert.equal(calls, 3);
    assert.ok(c.limiter.currentRate < c.limiter.configuredRate, "429 slowed the token bucket");
    const metrics = await registry.metrics();
    assert.match(metrics, /ssmd_kalshi_rest_retries_total\{endpoint="exchange_status",reason="429"\} 2/);
    assert.match(metrics, /ssmd_kalshi_rest_requests_total\{endpoint="exchange_status",outcome="ok"\} 1/);
    await client({ registry }).exchangeStatus();
    assert.match(
      await registry.metrics(),
      /outcome="ok"\} 2/,
      "a second client on the same registry shares the counters",
    );
  });

  it("gives up after maxAttempts with a typed error", async () => {
    override = (_req, res) => json(res, 429, { error: "too many requests" });
    await assert.rejects(client().exchangeStatus(), RateLimitedError);
    assert.equal(seen.length, 4);
    seen = [];
    override = (_req, res) => json(res, 503, { code: "unavailable", message: "maintenance" });
    await assert.rejects(client().exchangeStatus(), (error: unknown) => {
      assert.ok(error instanceof UnavailableError);
      assert.match(error.message, /503.*maintenance/);
      return true;
    });
    assert.equal(seen.length, 4);
  });

  it("recovers from a 500 in the middle of pagination", async () => {
    let failed = false;
    override = (req, res, url) => {
      if (url.searchParams.get("cursor") === "10" && !failed) {
        failed = true;
        return json(res, 500, { code: "internal", message: "boom" });
      }
      defaultRoute(req, res, url);
    };
    let count = 0;
    for await (const _ of client().markets({ limit: 10 })) count++;
    assert.equal(count, 25);
    assert.equal(seen.length, 4);
  });

  it("maps 4xx to typed errors without retrying", async () => {
    await assert.rejects(client().market("KXNOPE"), (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.kind, "market");
      assert.equal(error.wanted, "KXNOPE");
      return true;
    });
    assert.equal(seen.length, 1);
    override = (_req, res) => json(res, 401, { code: "unauthorized", message: "bad signature" });
    await assert.rejects(client().exchangeStatus(), AuthError);
    override = (_req, res) => json(res, 400, { code: "bad_request", message: "status invalid" });
    await assert.rejects(client().exchangeStatus(), /status invalid/);
    await assert.rejects(client().exchangeStatus(), ValidationError);
    await assert.rejects(client().orderbook("X", 101), ValidationError);
    assert.equal(seen.length, 4, "no retries on 4xx, no request for invalid input");
  });

  it("rejects malformed bodies with ParseError", async () => {
    override = (_req, res) => json(res, 200, { exchange_active: "yes" });
    await assert.rejects(client().exchangeStatus(), (error: unknown) => {
      assert.ok(error instanceof ParseError);
      assert.match(error.details.join(), /exchange_active/);
      return true;
    });
    override = (_req, res) => {
      res.writeHead(200);
      res.end("<html>");
    };
    await assert.rejects(client().exchangeStatus(), ParseError);
  });

  it("guards against a cursor that never ends", async () => {
    override = (_req, res) => json(res, 200, { markets: [MARKETS[0]], cursor: "same" });
    const c = client();
    await assert.rejects(
      (async () => {
        for await (const _ of c.markets()) {
          // drain
        }
      })(),
      ProtocolError,
    );
    assert.equal(seen.length, 2);
  });

  it("normalizes markets to exact decimals and reports items that do not parse", async () => {
    const market = await normalizedMarket(client(), "KXTEST-26JAN-T3.5");
    assert.equal(market.yesBid, 4200, "0.4200 dollars = 4200 units of 1e-4 $");
    assert.equal(market.status, "active");
    override = (_req, res) =>
      json(res, 200, {
        markets: [MARKETS[0], { ticker: "BAD", status: "active", event_ticker: "E", yes_bid_dollars: "x" }],
      });
    const invalid: string[] = [];
    const good: string[] = [];
    for await (const m of normalizedMarkets(client(), {}, (error) => invalid.push(error.message)))
      good.push(m.ticker);
    assert.deepEqual(good, [MARKETS[0]!.ticker]);
    assert.equal(invalid.length, 1);
    assert.match(invalid[0]!, /yes_bid_dollars/);
    await assert.rejects(
      (async () => {
        for await (const _ of normalizedMarkets(client())) {
          // drain
        }
      })(),
      ParseError,
    );
  });

  it("times out a silent server and reports an unreachable one", async () => {
    override = () => {
      // never answer
    };
    const slow = client({ timeoutMs: 100, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    await assert.rejects(slow.exchangeStatus(), TimeoutError);
    assert.equal(seen.length, 2, "a timeout is retried");
    const port = await freePort();
    const down = new KalshiRestClient({
      baseUrl: `http://127.0.0.1:${port}/trade-api/v2`,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    await assert.rejects(down.exchangeStatus(), UnavailableError);
  });
});
