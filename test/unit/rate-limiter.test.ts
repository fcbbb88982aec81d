import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type LimiterClock, TokenBucket } from "../../src/adapters/kalshi/rate-limiter.js";
import { backoffDelayMs, isRetryableStatus, validateRetryPolicy } from "../../src/adapters/kalshi/retry.js";
import { ValidationError } from "../../src/core/errors.js";

/** A clock that only moves when someone sleeps; records every sleep. */
function fakeClock(start = 1_000_000): LimiterClock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("token bucket", () => {
  it("lets a burst through, then paces at the configured rate", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 5 }, clock);
    const start = clock.now();
    for (let i = 0; i < 5; i++) await bucket.acquire();
    assert.equal(clock.now() - start, 0, "burst must not wait");
    for (let i = 0; i < 15; i++) await bucket.acquire();
    assert.equal(clock.now() - start, 1500, "15 more at 10/s take 1.5 s");
    assert.ok(clock.sleeps.every((ms) => ms === 100));
  });

  it("refills while idle but never above the burst size", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 3 }, clock);
    for (let i = 0; i < 3; i++) await bucket.acquire();
    clock.advance(60_000);
    const before = clock.now();
    for (let i = 0; i < 3; i++) await bucket.acquire();
    assert.equal(clock.now(), before, "3 tokens refilled");
    await bucket.acquire();
    assert.equal(clock.now() - before, 500, "the 4th waits one refill interval");
  });

  it("serves concurrent callers in call order", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 4, burst: 1 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((n) => bucket.acquire().then(() => order.push(n))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(
      clock.sleeps.reduce((a, b) => a + b, 0),
      1000,
    );
  });

  it("halves the rate on 429 and creeps back on success", async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 10 }, clock);
    bucket.slowDown();
    assert.equal(bucket.currentRate, 5);
    const before = clock.now();
    await bucket.acquire();
    assert.equal(clock.now() - before, 200, "empty bucket at 5/s: 200 ms for the next token");
    bucket.slowDown();
    assert.equal(bucket.currentRate, 2.5);
    for (let i = 0; i < 100; i++) bucket.slowDown();
    assert.equal(bucket.currentRate, 10 / 64, "never below 1/64 of the configured rate");
    for (let i = 0; i < 40; i++) bucket.recordSuccess();
    assert.equal(bucket.currentRate, 10, "back to the configured rate, not above");
  });

  it("rejects nonsense limits", () => {
    assert.throws(() => new TokenBucket({ requestsPerSecond: 0, burst: 1 }, fakeClock()), ValidationError);
    assert.throws(() => new TokenBucket({ requestsPerSecond: 5, burst: 0.5 }, fakeClock()), ValidationError);
  });
});

describe("retry backoff", () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

  it("doubles per retry with jitter in [d/2, d] and caps at maxDelayMs", () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      50,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 0.999999),
      100,
    );
    assert.equal(
      backoffDelayMs(3, policy, () => 0.999999),
      400,
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 0.999999),
      1000,
    );
    assert.equal(
      backoffDelayMs(10, policy, () => 0),
      500,
    );
    for (let retry = 1; retry < 8; retry++) {
      const ms = backoffDelayMs(retry, policy);
      const cap = Math.min(1000, 100 * 2 ** (retry - 1));
      assert.ok(ms >= cap / 2 && ms <= cap, `retry ${retry}: ${ms}`);
    }
  });

  it("retries 429, 408 and 5xx only", () => {
    assert.deepEqual([200, 400, 401, 404, 408, 429, 500, 502, 503, 599].map(isRetryableStatus), [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it("validates the policy", () => {
    assert.throws(
      () => validateRetryPolicy({ maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 2 }),
      ValidationError,
    );
    assert.throws(
      () => validateRetryPolicy({ maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 2 }),
      ValidationError,
    );
  });
});
