import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compileSubjectFilter,
  isValidSubjectPattern,
  patternCovers,
  patternsOverlap,
  subjectMatches,
} from "../../src/adapters/bus/subject-match.js";

test("* matches exactly one token, > one or more trailing tokens", () => {
  assert.equal(subjectMatches("p.json.*.A", "p.json.trade.A"), true);
  assert.equal(subjectMatches("p.json.*.A", "p.json.trade.B"), false);
  assert.equal(subjectMatches("p.json.*", "p.json.trade.A"), false);
  assert.equal(subjectMatches("p.>", "p.json.trade.A"), true);
  assert.equal(subjectMatches("p.>", "p"), false);
  assert.equal(subjectMatches("p.json.trade.A", "p.json.trade.A"), true);
  assert.equal(subjectMatches("p.json.trade.A", "p.json.trade.A.x"), false);
});

test("compiled filters accept any listed pattern; none means everything", () => {
  const filter = compileSubjectFilter(["p.status.gap", "p.json.trade.*"]);
  assert.equal(filter("p.status.gap"), true);
  assert.equal(filter("p.json.trade.X"), true);
  assert.equal(filter("p.json.ticker.X"), false);
  assert.equal(compileSubjectFilter(undefined)("anything.at.all"), true);
  assert.equal(compileSubjectFilter([])("x"), true);
});

test("validity, coverage and overlap of patterns", () => {
  assert.equal(isValidSubjectPattern("a.*.>"), true);
  assert.equal(isValidSubjectPattern("a.>.b"), false);
  assert.equal(isValidSubjectPattern("a..b"), false);
  assert.equal(isValidSubjectPattern("a b"), false);
  assert.equal(patternCovers("prod.kalshi.>", "prod.kalshi.json.>"), true);
  assert.equal(patternCovers("prod.kalshi.json.>", "prod.kalshi.>"), false);
  assert.equal(patternCovers("a.*.c", "a.b.c"), true);
  assert.equal(patternsOverlap("prod.kalshi.>", "prod.*.json.trade"), true);
  assert.equal(patternsOverlap("prod.kalshi.>", "dev.kalshi.>"), false);
  assert.equal(patternsOverlap("a.b", "a.b.c"), false);
});
