import assert from "node:assert/strict";
import { test } from "node:test";
import { Pacer, parseSpeed } from "../../src/components/replay/replay-pacer.js";

/** A clock that only moves when the pacer sleeps: the schedule is exact and deterministic. */
function fakeClock() {
  let now = 1000;
  const sleeps: number[] = [];
  return {
    sleeps,
    nowMs: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const RTS = [5_000_000, 5_100_000, 5_100_000, 5_600_000, 7_600_000]; // µs: +100 ms, +0, +500 ms, +2 s

test("1x keeps the original gaps between messages", async () => {
  const clock = fakeClock();
  const pacer = new Pacer(1, clock);
  for (const rt of RTS) await pacer.wait(rt);
  assert.deepEqual(clock.sleeps, [100, 500, 2000]);
});

test("10x divides every gap by ten; work time between messages is not slept twice", async () => {
  const clock = fakeClock();
  const pacer = new Pacer(10, clock);
  await pacer.wait(RTS[0]!);
  clock.advance(4); // the sink took 4 ms
  for (const rt of RTS.slice(1)) await pacer.wait(rt);
  assert.deepEqual(clock.sleeps, [6, 50, 200]);
});

test("max never sleeps; speeds parse strictly", async () => {
  const clock = fakeClock();
  const pacer = new Pacer("max", clock);
  for (const rt of RTS) await pacer.wait(rt);
  assert.deepEqual(clock.sleeps, []);
  assert.equal(parseSpeed("max"), "max");
  assert.equal(parseSpeed("10x"), 10);
  assert.equal(parseSpeed("1"), 1);
  assert.equal(parseSpeed("0.5"), 0.5);
  for (const bad of ["0", "-1", "fast", "", "1e9"])
    assert.throws(() => parseSpeed(bad), { code: "VALIDATION" });
});
