/** Pure parts of the simulator: command validation (Kalshi error codes) and the --faults grammar. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CommandError, parseCommand } from "../../src/components/sim/commands.js";
import { parseDuration, parseFaultSpec, toFault } from "../../src/components/sim/fault-spec.js";
import { ValidationError } from "../../src/core/errors.js";

const code = (text: string) => {
  const parsed = parseCommand(text);
  return parsed instanceof CommandError ? parsed.code : undefined;
};

describe("sim commands", () => {
  it("parses subscribe with either market form, dedupes, and treats id 0 as no id", () => {
    const one = parseCommand(
      '{"id":0,"cmd":"subscribe","params":{"channels":["ticker","ticker"],"market_ticker":"A"}}',
    );
    assert.deepEqual(one, {
      cmd: "subscribe",
      id: undefined,
      channels: ["ticker"],
      tickers: ["A"],
      marketIds: undefined,
      sendInitialSnapshot: false,
      skipTickerAck: false,
      useYesPrice: false,
    });
    const many = parseCommand(
      '{"id":4,"cmd":"subscribe","params":{"channels":["trade"],"market_tickers":["A","B","A"]}}',
    );
    assert.ok(!(many instanceof CommandError) && many.cmd === "subscribe");
    assert.deepEqual(many.tickers, ["A", "B"]);
  });

  it("maps each malformed command to Kalshi's code", () => {
    assert.equal(code("[1,2]"), 1);
    assert.equal(code('{"id":"x","cmd":"subscribe"}'), 11);
    assert.equal(code('{"id":1,"cmd":"subscribe","params":{"channels":"ticker"}}'), 3);
    assert.equal(
      code('{"id":1,"cmd":"subscribe","params":{"channels":["ticker"],"send_initial_snapshot":"yes"}}'),
      11,
    );
    assert.equal(
      code('{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ids":["u"]}}'),
      11,
    );
    assert.equal(code('{"id":1,"cmd":"subscribe","params":{"channels":["trade"],"market_ids":["u"]}}'), 11);
    assert.equal(code('{"id":1,"cmd":"subscribe","params":{"channels":["ticker"],"market_tickers":[]}}'), 11);
    assert.equal(code('{"id":1,"cmd":"unsubscribe","params":{"sids":[0]}}'), 11);
    assert.equal(
      code('{"id":1,"cmd":"update_subscription","params":{"sids":[1,2],"action":"add_markets"}}'),
      12,
    );
    assert.equal(code('{"id":1,"cmd":"update_subscription","params":{"sid":1,"action":"add_markets"}}'), 14);
    assert.equal(code('{"id":1,"cmd":"list_subscriptions"}'), undefined);
  });

  it("accepts ticker market_ids and update_subscription with sids of one", () => {
    const byId = parseCommand(
      '{"id":1,"cmd":"subscribe","params":{"channels":["ticker"],"market_ids":["u-1"]}}',
    );
    assert.ok(!(byId instanceof CommandError) && byId.cmd === "subscribe");
    assert.deepEqual(byId.marketIds, ["u-1"]);
    const update = parseCommand(
      '{"id":2,"cmd":"update_subscription","params":{"sids":[7],"market_tickers":["A"],"action":"get_snapshot"}}',
    );
    assert.ok(!(update instanceof CommandError) && update.cmd === "update_subscription");
    assert.equal(update.sid, 7);
    assert.equal(update.action, "get_snapshot");
  });
});

describe("sim fault spec", () => {
  it("parses kinds, arguments, times and repeats", () => {
    assert.deepEqual(parseFaultSpec("disconnect@30s, stall:40s@2m+5m ,format_switch:legacy@500ms"), [
      { fault: { kind: "disconnect" }, atMs: 30_000, everyMs: undefined },
      { fault: { kind: "stall", durationMs: 40_000 }, atMs: 120_000, everyMs: 300_000 },
      { fault: { kind: "format_switch", format: "legacy" }, atMs: 500, everyMs: undefined },
    ]);
    assert.equal(parseDuration("1.5s"), 1500);
    assert.equal(parseDuration("10"), undefined);
  });

  it("lists every problem, with suggestions", () => {
    try {
      parseFaultSpec("skip_sq@1s,disconnect:5s@1s,rest_429:x@1s,malformed@soon,stall@1s+0s");
      assert.fail("expected a ValidationError");
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.problems.length, 5);
      assert.match(error.problems[0]!, /Did you mean 'skip_seq'/);
      assert.match(error.problems[1]!, /takes no argument/);
    }
    assert.throws(() => toFault("format_switch", "xml"), ValidationError);
  });
});
