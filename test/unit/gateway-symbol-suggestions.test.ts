import assert from "node:assert/strict";
import { test } from "node:test";
import { unknownSymbols } from "../../src/components/gateway/symbol-suggestions.js";

const KNOWN = [
  "KXBTCD-26NOV21-T67749.99",
  "KXBTCD-26NOV21-T68249.99",
  "KXETHD-26NOV21-T3500",
  "INXD-26NOV21-B6400",
];

test("a typo gets the nearest ticker", () => {
  const { suggestions, message } = unknownSymbols(["KXBTCD-26NOV21-T67749.9"], KNOWN);
  assert.deepEqual(suggestions, { "KXBTCD-26NOV21-T67749.9": "KXBTCD-26NOV21-T67749.99" });
  assert.match(message, /did you mean 'KXBTCD-26NOV21-T67749\.99'/);
});

test("a fragment or a series gets a market that contains it or shares it", () => {
  const { suggestions } = unknownSymbols(["eth", "KXBTCD-27JAN01-T1", "INXD"], KNOWN);
  assert.equal(suggestions.eth, "KXETHD-26NOV21-T3500");
  assert.match(suggestions["KXBTCD-27JAN01-T1"]!, /^KXBTCD-26NOV21-/);
  assert.equal(suggestions.INXD, "INXD-26NOV21-B6400");
});

test("a symbol like nothing known gets no suggestion, only the error", () => {
  const { suggestions, message } = unknownSymbols(["NOPE-XYZ", "KX"], KNOWN);
  assert.deepEqual(suggestions, {});
  assert.equal(message, "unknown symbol(s) NOPE-XYZ, KX");
});
