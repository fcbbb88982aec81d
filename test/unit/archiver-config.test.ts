/** The archiver's config: YAML validation, names derived from the filter, cross-field checks, --env. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { feedOfPrefix, parseArchiverFile, prefixOfFilter } from "../../src/components/archiver/config.js";
import { resolveFromEnvironment, resolveFromFile } from "../../src/components/archiver/resolve-config.js";
import type { EnvironmentConfig } from "../../src/metadata/types.js";

const file = (over: Record<string, unknown> = {}) =>
  parseArchiverFile(
    {
      nats: { url: "nats://h:4222", stream: "S", filter: "prod.kalshi.>" },
      storage: { path: "out" },
      ...over,
    },
    "test",
  );

test("prefix and feed come from the filter unless the file names the feed", () => {
  assert.equal(prefixOfFilter("prod.kalshi.>"), "prod.kalshi");
  assert.equal(prefixOfFilter("prod.kalshi.json.*.KX"), "prod.kalshi");
  assert.equal(prefixOfFilter("prod.kalshi.status.gap"), "prod.kalshi");
  assert.equal(feedOfPrefix("prod.kalshi"), "kalshi");
  const resolved = resolveFromFile(file(), "/base");
  assert.equal(resolved.config.feed, "kalshi");
  assert.equal(resolved.config.subjectPrefix, "prod.kalshi");
  assert.deepEqual(resolved.storage, { type: "local", path: "/base/out" });
  assert.equal(resolved.config.rotationMs, 15 * 60_000);
  assert.equal(resolveFromFile(file({ feed: "other" }), "/base").config.feed, "other");
});

test("a bad file lists every problem with its path", () => {
  assert.throws(
    () => parseArchiverFile({ nats: { stream: "S" }, storage: {}, extra: 1 }, "a.yaml"),
    (error: Error & { details?: string[] }) => {
      assert.match(error.message, /invalid archiver config a\.yaml/);
      const details = error.details?.join("\n") ?? "";
      assert.match(details, /nats\.url/);
      assert.match(details, /nats\.filter/);
      assert.match(details, /extra/);
      return true;
    },
  );
});

test("fsync batch larger than half the ack window, or an interval over 1 s, is refused", () => {
  assert.throws(() => resolveFromFile(file(), "/", { fsyncMessages: 30_000 }), /fsync messages too large/);
  assert.throws(() => resolveFromFile(file(), "/", { fsyncIntervalMs: 1001 }), /at most 1000 ms/);
  assert.throws(() => resolveFromFile(file(), "/", { rotation: "2weeks" }), /invalid rotation interval/);
  assert.equal(resolveFromFile(file(), "/", { rotation: "1h", consumer: "c2" }).config.consumer, "c2");
});

test("--env: stream, prefix and feed from the environment; a memory transport is refused", () => {
  const env = {
    name: "dev",
    feed: "kalshi",
    transport: { type: "nats", url: "nats://h:4222", stream: "DEV_KALSHI", subject_prefix: "dev.kalshi" },
    storage: { type: "local", path: "./data" },
  } as unknown as EnvironmentConfig;
  const resolved = resolveFromEnvironment(env, "/out", "/base");
  assert.equal(resolved.config.stream, "DEV_KALSHI");
  assert.deepEqual(resolved.config.filterSubjects, ["dev.kalshi.>"]);
  assert.equal(resolved.config.consumer, "archiver-dev");
  assert.deepEqual(resolved.storage, { type: "local", path: "/out" });
  const memory = { ...env, transport: { type: "memory" } } as unknown as EnvironmentConfig;
  assert.throws(() => resolveFromEnvironment(memory, undefined, "/"), /the archiver needs nats/);
});
