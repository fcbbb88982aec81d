/**
 * Snapshot tests over every captured Kalshi frame, every frame example in PROTOCOL.md and the
 * hand-written quirk frames (test/fixtures/kalshi/*.frames.jsonl): each line holds the frame text
 * and the reviewed normalized result. SSMD_UPDATE_FIXTURES=1 rewrites the expected results
 * (review the diff before committing). The fast scanner must agree with parseFrame on each.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseFrame, scanFrameHeader } from "../../src/core/kalshi/parse-frame.js";
import type { KalshiMessage } from "../../src/core/kalshi/types.js";
import { prng } from "../helpers/prng.js";

const FIXTURES = new URL("../fixtures/kalshi/", import.meta.url);
const UPDATE = process.env["SSMD_UPDATE_FIXTURES"] === "1";

interface FrameFixture {
  source: string;
  frame: string;
  expected?: unknown;
  error?: string;
}

function readFixtures(name: string): FrameFixture[] {
  const text = readFileSync(new URL(name, FIXTURES), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as FrameFixture);
}

/** JSON round trip: what a consumer would serialize (undefined fields vanish). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function messageId(message: KalshiMessage): unknown {
  return "id" in message ? message.id : message.extra?.["id"];
}

function messageTicker(message: KalshiMessage): string | undefined {
  switch (message.kind) {
    case "event_lifecycle":
    case "event_fee_update":
      return message.eventTicker;
    case "error":
      return message.marketTicker;
    case "subscribed":
    case "unsubscribed":
    case "ok":
      return undefined;
    case "unknown": {
      const msg = message.msg as Record<string, unknown> | undefined;
      return typeof msg?.["market_ticker"] === "string" ? msg["market_ticker"] : undefined;
    }
    default:
      return message.ticker;
  }
}

function messageTradeId(message: KalshiMessage): string | undefined {
  return message.kind === "trade" ? message.tradeId : undefined;
}

/** The header parseFrame implies, built from the parsed message only. */
function headerOf(message: KalshiMessage, type: string): unknown {
  return plain({
    type,
    sid: message.sid,
    seq: message.seq,
    id: messageId(message),
    ticker: messageTicker(message),
    tradeId: messageTradeId(message),
  });
}

for (const file of ["captured.frames.jsonl", "protocol.frames.jsonl", "quirks.frames.jsonl"]) {
  describe(`parseFrame snapshots: ${file}`, () => {
    const fixtures = readFixtures(file);
    if (UPDATE) {
      const lines = fixtures.map((fixture) => {
        const result = parseFrame(fixture.frame);
        const expected = result.ok
          ? { ok: true, message: result.message }
          : { ok: false, error: result.error.message };
        return JSON.stringify({ source: fixture.source, frame: fixture.frame, expected });
      });
      writeFileSync(new URL(file, FIXTURES), `${lines.join("\n")}\n`);
    }

    for (const fixture of fixtures) {
      it(fixture.source, () => {
        const result = parseFrame(fixture.frame);
        const actual = result.ok
          ? { ok: true, message: result.message }
          : { ok: false, error: result.error.message };
        assert.deepEqual(plain(actual), fixture.expected);
      });

      it(`${fixture.source} — scanFrameHeader agrees`, () => {
        const result = parseFrame(fixture.frame);
        const header = scanFrameHeader(fixture.frame);
        if (!result.ok) {
          // Only client commands (no type) fail here; the scanner finds no type either.
          assert.equal(header, undefined);
          return;
        }
        const type = (JSON.parse(fixture.frame) as { type: string }).type;
        assert.deepEqual(plain(header), headerOf(result.message, type));
      });
    }
  });
}

describe("frames that must produce errors (errors.frames.jsonl)", () => {
  for (const fixture of readFixtures("errors.frames.jsonl")) {
    it(fixture.source, () => {
      const result = parseFrame(fixture.frame);
      assert.equal(result.ok, false, "expected a ParseError");
      if (result.ok) return;
      assert.equal(result.error.name, "ParseError");
      assert.equal(result.error.code, "PARSE");
      assert.ok(
        result.error.message.includes(fixture.error ?? "?"),
        `'${result.error.message}' should name '${fixture.error}'`,
      );
    });
  }
});

describe("scanFrameHeader agrees with parseFrame on mutated frames that still parse", () => {
  it("20k seeded single-character edits of every fixture frame", () => {
    const random = prng(77);
    const frames = ["captured.frames.jsonl", "protocol.frames.jsonl", "quirks.frames.jsonl"].flatMap((file) =>
      readFixtures(file).map((fixture) => fixture.frame),
    );
    const alphabet = ' {}[],:"\\0123456789.-_abcdefmnopqrstuvwxyz';
    let compared = 0;
    for (let round = 0; round < 20_000; round++) {
      const frame = frames[round % frames.length]!;
      const at = Math.floor(random() * frame.length);
      const char = alphabet[Math.floor(random() * alphabet.length)]!;
      const text =
        random() < 0.5
          ? frame.slice(0, at) + char + frame.slice(at + 1)
          : frame.slice(0, at) + char + frame.slice(at);
      const result = parseFrame(text);
      if (!result.ok) continue;
      const type = (JSON.parse(text) as { type: string }).type;
      assert.deepEqual(plain(scanFrameHeader(text)), headerOf(result.message, type), text);
      compared++;
    }
    assert.ok(compared > 2000, `enough mutated frames still parse (${compared})`);
  });
});
