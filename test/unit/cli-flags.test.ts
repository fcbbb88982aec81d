import assert from "node:assert/strict";
import { test } from "node:test";
import { positiveInt } from "../../src/cli/flags.js";
import { ValidationError } from "../../src/core/errors.js";

test("positiveInt takes decimal integers ≥ 1 and names the flag otherwise", () => {
  assert.equal(positiveInt(undefined, "--limit"), undefined);
  assert.equal(positiveInt("1", "--limit"), 1);
  assert.equal(positiveInt("2500", "--limit"), 2500);
  for (const bad of ["0", "-3", "1.5", "1e3", " 5", "0x10", "", "abc"]) {
    assert.throws(
      () => positiveInt(bad, "--fsync-messages"),
      (error: unknown) => {
        return (
          error instanceof ValidationError &&
          /--fsync-messages must be a positive integer/.test(error.message)
        );
      },
      bad,
    );
  }
});
