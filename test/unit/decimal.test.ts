import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  complement,
  countFromFp,
  countFromInteger,
  formatCount,
  formatPrice,
  parseFixed,
  priceFromCents,
  priceFromDollars,
  toContracts,
  toDollars,
} from "../../src/core/decimal.js";

describe("fixed-point decimals", () => {
  it("parses 3- and 4-decimal dollar strings to the same exact price", () => {
    assert.equal(priceFromDollars("0.960"), 9600);
    assert.equal(priceFromDollars("0.9600"), 9600);
    assert.equal(priceFromDollars("0.0800"), 800);
    assert.equal(priceFromDollars("1.0000"), 10000);
    assert.equal(priceFromDollars("0.001"), 10);
    assert.equal(priceFromDollars(".5"), 5000);
  });

  it("parses signed fractional counts", () => {
    assert.equal(countFromFp("2020.47"), 202047);
    assert.equal(countFromFp("-54.00"), -5400);
    assert.equal(countFromFp("0.11"), 11);
  });

  it("accepts legacy integer cents and counts", () => {
    assert.equal(priceFromCents(45), 4500);
    assert.equal(countFromInteger(136), 13600);
    assert.equal(priceFromCents(4.5), undefined);
  });

  it("rejects text that is not an exact decimal", () => {
    for (const bad of ["", "abc", "1.2.3", "0.12345", "1e5", "-", ".", " 1", "0x10"]) {
      assert.equal(parseFixed(bad, 4), undefined, bad);
    }
    assert.equal(parseFixed("0.45000000", 4), 4500, "zeros beyond scale are exact");
  });

  it("formats canonically and round-trips", () => {
    assert.equal(formatPrice(4500), "0.4500");
    assert.equal(formatPrice(10), "0.0010");
    assert.equal(formatCount(-5400), "-54.00");
    assert.equal(formatCount(202047), "2020.47");
    for (const text of ["0.0001", "0.9999", "1.0000", "12.3400"])
      assert.equal(formatPrice(priceFromDollars(text)!), text);
  });

  it("converts to numbers only at the edge and complements exactly", () => {
    assert.equal(toDollars(4500), 0.45);
    assert.equal(toContracts(202047), 2020.47);
    assert.equal(complement(3000), 7000);
  });
});
