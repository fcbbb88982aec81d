import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NotFoundError } from "../../src/core/errors.js";
import { closestMatches, editDistance, suggest } from "../../src/core/suggest.js";

describe("suggestions", () => {
  it("finds the nearest plausible name", () => {
    assert.equal(suggest("kalhsi", ["kalshi", "kalshi-sim", "polymarket"]), "kalshi");
    assert.equal(suggest("zzzzzz", ["kalshi"]), undefined);
    assert.equal(editDistance("abc", "abd"), 1);
    assert.deepEqual(closestMatches("kals", ["polymarket", "kalshi", "kalshi-sim"], 2), [
      "kalshi",
      "kalshi-sim",
    ]);
  });

  it("NotFoundError says what is valid and what was meant", () => {
    const error = new NotFoundError("feed", "kalhsi", ["kalshi", "kalshi-sim"], "kalshi");
    assert.match(error.message, /Did you mean 'kalshi'\?/);
    assert.deepEqual(error.details, ["valid feeds: kalshi, kalshi-sim"]);
    assert.equal(error.code, "NOT_FOUND");
  });
});
