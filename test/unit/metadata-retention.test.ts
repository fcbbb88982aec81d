import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ValidationError } from "../../src/core/errors.js";
import { ENVIRONMENT_TEMPLATES } from "../../src/metadata/bootstrap/environment-templates.js";
import { loadEnvironmentFile } from "../../src/metadata/load.js";
import {
  DEFAULT_RETENTION,
  describeRetention,
  effectiveRetention,
  parseDurationMs,
  parseSizeBytes,
  streamSpecFor,
} from "../../src/metadata/retention.js";
import { retentionCheck } from "../../src/metadata/retention-check.js";
import { tempDir } from "../helpers/tmp.js";

const HEAD = `name: kalshi-dev
feed: kalshi
schema: trade:v1
transport:
  type: nats
  url: nats://localhost:4222
  stream: DEV_KALSHI
  subject_prefix: dev.kalshi
`;
const STORAGE = "storage: { type: local, path: ./data }\n";

let dir: { path: string; cleanup: () => Promise<void> };
before(async () => {
  dir = await tempDir("ssmd-meta-retention-");
});
after(() => dir.cleanup());

async function write(name: string, text: string): Promise<string> {
  const path = join(dir.path, `${name}.yaml`);
  await writeFile(path, text);
  return path;
}

function withRetention(lines: string): string {
  return `${HEAD}  retention:\n${lines
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n")}\n${STORAGE}`;
}

async function problemsOf(text: string): Promise<string[]> {
  const error = await loadEnvironmentFile(await write("kalshi-dev", text)).then(
    () => assert.fail("expected a ValidationError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, String(error));
  return error.problems;
}

describe("retention values", () => {
  it("parses durations and sizes exactly", () => {
    assert.equal(parseDurationMs("30s"), 30_000);
    assert.equal(parseDurationMs("15m"), 900_000);
    assert.equal(parseDurationMs("24h"), 86_400_000);
    assert.equal(parseDurationMs("7d"), 604_800_000);
    assert.equal(parseDurationMs("250ms"), 250);
    assert.equal(parseDurationMs(0), 0);
    for (const bad of ["7", "7 days", "1.5h", "-1d", "d", "", 60])
      assert.equal(parseDurationMs(bad), undefined);
    assert.equal(parseSizeBytes("512MB"), 512 * 1024 ** 2);
    assert.equal(parseSizeBytes("50GB"), 50 * 1024 ** 3);
    assert.equal(parseSizeBytes("50gb"), 50 * 1024 ** 3);
    assert.equal(parseSizeBytes(1_000_000), 1_000_000);
    assert.equal(parseSizeBytes("4096"), 4096);
    for (const bad of ["50 gigs", "1.5GB", "-1", -1, 1.5, "GB"]) assert.equal(parseSizeBytes(bad), undefined);
  });

  it("describes a retention in the units it was written in", () => {
    const text = describeRetention({ ...DEFAULT_RETENTION, max_bytes: 50 * 1024 ** 3 });
    assert.equal(
      text,
      "max_age 7d, max_bytes 50GB, max_messages no cap, duplicate_window 2m, replicas 1, storage file",
    );
  });
});

describe("transport.retention in environment files", () => {
  it("defaults when the block is absent: 7d, 2m window, file, 1 replica, no caps", async () => {
    const env = await loadEnvironmentFile(await write("kalshi-dev", `${HEAD}${STORAGE}`));
    assert.equal(env.transport.retention, undefined);
    assert.deepEqual(effectiveRetention(env.transport), {
      max_age_ms: 604_800_000,
      max_bytes: 0,
      max_messages: 0,
      duplicate_window_ms: 120_000,
      replicas: 1,
      storage: "file",
    });
    assert.deepEqual(streamSpecFor(env.transport), {
      name: "DEV_KALSHI",
      subjects: ["dev.kalshi.>"],
      storage: "file",
      maxAgeMs: 604_800_000,
      maxBytes: 0,
      maxMessages: 0,
      duplicateWindowMs: 120_000,
      replicas: 1,
    });
  });

  it("reads a full block and fills the fields it leaves out", async () => {
    const full = withRetention(
      "max_age: 24h\nmax_bytes: 512MB\nmax_messages: 1000000\nduplicate_window: 30s\nreplicas: 3\nstorage: memory",
    );
    const env = await loadEnvironmentFile(await write("kalshi-dev", full));
    assert.deepEqual(env.transport.retention, {
      max_age_ms: 86_400_000,
      max_bytes: 536_870_912,
      max_messages: 1_000_000,
      duplicate_window_ms: 30_000,
      replicas: 3,
      storage: "memory",
    });
    const partial = await loadEnvironmentFile(
      await write("kalshi-dev", withRetention("max_bytes: 1073741824")),
    );
    assert.deepEqual(partial.transport.retention, { ...DEFAULT_RETENTION, max_bytes: 1024 ** 3 });
  });

  it("accepts the block on the memory transport too", async () => {
    const text =
      "name: local\nfeed: kalshi\nschema: trade:v1\ntransport:\n  type: memory\n  retention: { max_age: 1h }\nstorage: { type: local, path: ./data }\n";
    const env = await loadEnvironmentFile(await write("local", text));
    assert.equal(env.transport.retention?.max_age_ms, 3_600_000);
  });

  it("names file:line and field for a bad duration, size, count and storage", async () => {
    const file = join(dir.path, "kalshi-dev.yaml");
    const text = withRetention(
      "max_age: 7 days\nmax_bytes: 50 gigs\nmax_messages: -5\nduplicate_window: 2m\nreplicas: 9\nstorage: disk",
    );
    const problems = await problemsOf(text);
    assert.deepEqual(problems, [
      `${file}:10 transport.retention.max_age: must be a duration like 30s, 15m, 24h or 7d (got "7 days")`,
      `${file}:11 transport.retention.max_bytes: must be a size like 512MB or 50GB, or a byte count (got "50 gigs")`,
      `${file}:12 transport.retention.max_messages: must be 0 (no cap) or more`,
      `${file}:14 transport.retention.replicas: must be 1 to 5`,
      `${file}:15 transport.retention.storage: must be one of file, memory`,
    ]);
  });

  it("rejects a duplicate window longer than max_age, and unknown keys", async () => {
    const file = join(dir.path, "kalshi-dev.yaml");
    const longWindow = await problemsOf(withRetention("max_age: 1m\nduplicate_window: 5m"));
    assert.deepEqual(longWindow, [
      `${file}:11 transport.retention.duplicate_window: must not exceed max_age (1m)`,
    ]);
    const unknown = await problemsOf(withRetention("max_age: 1d\nmax_size: 1GB"));
    assert.deepEqual(unknown, [`${file}:11 transport.retention.max_size: unknown key`]);
  });

  it("the kalshi-dev and kalshi-prod templates carry a valid retention block", async () => {
    for (const [name, replicas, maxBytes] of [
      ["kalshi-dev", 1, 10 * 1024 ** 3],
      ["kalshi-prod", 3, 50 * 1024 ** 3],
    ] as const) {
      const env = await loadEnvironmentFile(await write(name, ENVIRONMENT_TEMPLATES[name] ?? ""));
      assert.equal(env.transport.retention?.replicas, replicas, name);
      assert.equal(env.transport.retention?.max_bytes, maxBytes, name);
      assert.equal(env.transport.retention?.max_age_ms, 604_800_000, name);
      assert.equal(env.transport.retention?.duplicate_window_ms, 120_000, name);
    }
  });
});

describe("env apply retention line", () => {
  const live = {
    storage: "file" as const,
    maxAgeMs: 604_800_000,
    maxBytes: 0,
    maxMessages: 0,
    duplicateWindowMs: 120_000,
    replicas: 1,
  };

  it("is ✓ when the live stream matches", () => {
    const item = retentionCheck("DEV_KALSHI", live, DEFAULT_RETENTION);
    assert.equal(item.status, "ok");
    assert.match(item.text, /retention matches \(max_age 7d/);
  });

  it("lists what differs; a storage change cannot be applied", () => {
    const wanted = { ...DEFAULT_RETENTION, max_age_ms: 86_400_000, max_bytes: 1024 ** 3 };
    const item = retentionCheck("DEV_KALSHI", live, wanted);
    assert.equal(item.status, "warn");
    assert.match(item.text, /differs: max_age 7d → 1d, max_bytes no cap → 1GB \(the connector updates/);
    const storage = retentionCheck("DEV_KALSHI", live, { ...DEFAULT_RETENTION, storage: "memory" });
    assert.equal(storage.status, "fail");
    assert.match(storage.text, /storage file → memory \(storage cannot change/);
  });
});
