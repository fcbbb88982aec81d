import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NotFoundError, ValidationError } from "../../src/core/errors.js";
import { KALSHI_FEED } from "../../src/metadata/bootstrap/feed-templates.js";
import { feedVersionAt, loadFeedFile } from "../../src/metadata/load.js";
import { tempDir } from "../helpers/tmp.js";

const FEED = `name: demo
type: websocket
status: active
versions:
  - version: v1
    effective_from: 2025-01-01
    effective_to: 2025-06-01
    protocol: wss
    endpoint: wss://a.example/ws
    rest_endpoint: https://a.example/api
  - version: v2
    effective_from: 2025-06-01
    protocol: wss
    endpoint: wss://b.example/ws
    rest_endpoint: https://b.example/api
`;

let dir: { path: string; cleanup: () => Promise<void> };
before(async () => {
  dir = await tempDir("ssmd-meta-feed-");
});
after(() => dir.cleanup());

async function load(text: string, name = "demo") {
  const path = join(dir.path, `${name}.yaml`);
  await writeFile(path, text);
  return loadFeedFile(path);
}

async function problemsOf(text: string): Promise<string[]> {
  const error = await load(text).then(
    () => assert.fail("expected a ValidationError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, String(error));
  return error.problems;
}

describe("feed files", () => {
  it("loads the bootstrapped Kalshi feed and picks the version in force by date", async () => {
    const feed = await load(KALSHI_FEED, "kalshi");
    assert.equal(
      feedVersionAt(feed, "2025-03-01").endpoint,
      "wss://api.elections.kalshi.com/trade-api/ws/v2",
    );
    assert.equal(feedVersionAt(feed, "2026-05-06").version, "v1");
    assert.equal(
      feedVersionAt(feed, "2026-05-07").endpoint,
      "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
    );
    assert.equal(
      feedVersionAt(feed, "2026-05-07").rest_endpoint,
      "https://external-api.kalshi.com/trade-api/v2",
    );
    assert.equal(
      feedVersionAt(feed, "2026-05-07").demo_endpoint,
      "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2",
    );
  });

  it("has no version in force before the first window", async () => {
    const feed = await load(FEED);
    assert.throws(() => feedVersionAt(feed, "2024-12-31"), NotFoundError);
    assert.throws(() => feedVersionAt(feed, "2025-13-01"), ValidationError);
  });

  it("rejects overlapping version windows", async () => {
    const problems = await problemsOf(
      FEED.replace("effective_from: 2025-06-01", "effective_from: 2025-05-01"),
    );
    assert.deepEqual(problems, [
      `${join(dir.path, "demo.yaml")}:12 versions[1].effective_from: window overlaps version 'v1' (2025-01-01 .. 2025-06-01)`,
    ]);
  });

  it("rejects effective_to on or before effective_from", async () => {
    const problems = await problemsOf(FEED.replace("effective_to: 2025-06-01", "effective_to: 2024-06-01"));
    assert.match(problems[0] ?? "", /:7 versions\[0\]\.effective_to: must be after effective_from/);
  });

  it("rejects dates that are not real YYYY-MM-DD dates", async () => {
    assert.match(
      (await problemsOf(FEED.replace("2025-01-01", "2025-02-30")))[0] ?? "",
      /:6 versions\[0\]\.effective_from: must be a date/,
    );
    assert.match(
      (await problemsOf(FEED.replace("2025-01-01", "01/01/2025")))[0] ?? "",
      /must be a date written YYYY-MM-DD/,
    );
  });

  it("needs endpoint and protocol on every version", async () => {
    const noEndpoint = FEED.replace("    endpoint: wss://b.example/ws\n", "");
    assert.match((await problemsOf(noEndpoint))[0] ?? "", /versions\[1\]\.endpoint: is required/);
    const noProtocol = FEED.replace("    protocol: wss\n", "");
    assert.match((await problemsOf(noProtocol))[0] ?? "", /versions\[0\]\.protocol: is required/);
    const httpWs = FEED.replace("wss://a.example/ws", "https://a.example/ws");
    assert.match(
      (await problemsOf(httpWs))[0] ?? "",
      /versions\[0\]\.endpoint: must be a URL starting with wss:\/\/ or ws:\/\//,
    );
  });

  it("rejects duplicate version names and bad status", async () => {
    assert.match(
      (await problemsOf(FEED.replace("version: v2", "version: v1")))[0] ?? "",
      /duplicate version 'v1'/,
    );
    assert.match(
      (await problemsOf(FEED.replace("status: active", "status: live")))[0] ?? "",
      /:3 status: must be one of active, deprecated, disabled/,
    );
  });
});
