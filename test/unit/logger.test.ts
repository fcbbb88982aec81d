import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createLogger, parseLogLevel } from "../../src/adapters/log.js";

describe("logger", () => {
  it("writes structured JSON and redacts secrets", () => {
    const lines: string[] = [];
    const log = createLogger("connector", { write: (line) => lines.push(line) });
    log.info("connected to kalshi", { symbols: 3, private_key: "-----BEGIN", apiKey: "abc" });
    log.debug("hidden");
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]!);
    assert.equal(record.level, "info");
    assert.equal(record.component, "connector");
    assert.equal(record.msg, "connected to kalshi");
    assert.equal(record.symbols, 3);
    assert.equal(record.private_key, "[redacted]");
    assert.equal(record.apiKey, "[redacted]");
    assert.ok(!lines[0]!.includes("BEGIN"));
  });

  it("accepts LOG_LEVEL and RUST_LOG spellings", () => {
    assert.equal(parseLogLevel("WARNING"), "warn");
    assert.equal(parseLogLevel("ssmd=debug"), "debug");
    assert.equal(parseLogLevel(undefined), "info");
  });
});
