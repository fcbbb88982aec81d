import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NotFoundError, ValidationError } from "../../src/core/errors.js";
import { loadEnvironmentFile } from "../../src/metadata/load.js";
import { tempDir } from "../helpers/tmp.js";

const CANONICAL = `# prod
name: kalshi-prod
feed: kalshi
schema: trade:v1
schedule: { timezone: UTC, day_start: "00:10", day_end: "00:00", auto_roll: true }
keys:
  kalshi: { type: api_key, required: true, fields: [api_key, private_key], source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY" }
subscription: { channels: [ticker, trade, orderbook_delta, market_lifecycle_v2], categories: [], series: [], max_markets_per_connection: 200 }
transport: { type: nats, url: nats://localhost:4222, stream: PROD_KALSHI, subject_prefix: prod.kalshi }
storage:   { type: local, path: ./data }
secmaster: { url: postgres://localhost/ssmd }
cache:     { type: redis, url: redis://localhost:6379 }
`;

let dir: { path: string; cleanup: () => Promise<void> };
before(async () => {
  dir = await tempDir("ssmd-meta-env-");
});
after(() => dir.cleanup());

async function write(name: string, text: string): Promise<string> {
  const path = join(dir.path, `${name}.yaml`);
  await writeFile(path, text);
  return path;
}

/** Loads `text` as environment `name` and returns the problem lines (fails if it loads). */
async function problemsOf(name: string, text: string): Promise<string[]> {
  const path = await write(name, text);
  const error = await loadEnvironmentFile(path).then(
    () => assert.fail("expected a ValidationError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ValidationError, String(error));
  return error.problems;
}

function replace(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `fixture lacks '${from}'`);
  return text.replace(from, to);
}

describe("environment files", () => {
  it("loads the canonical form from the contract", async () => {
    const env = await loadEnvironmentFile(await write("kalshi-prod", CANONICAL));
    assert.equal(env.transport.type, "nats");
    assert.equal(env.transport.subject_prefix, "prod.kalshi");
    assert.deepEqual(env.storage, { type: "local", path: "./data" });
    assert.equal(env.keys.kalshi?.source, "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY");
    assert.equal(env.schedule?.day_start, "00:10");
    assert.equal(env.cache?.url, "redis://localhost:6379");
  });

  it("accepts transport_type/storage_type, defaults the prefix to {env}.{feed} and the subscription", async () => {
    const text = `name: dev
feed: kalshi
schema: trade:v1
transport:
  transport_type: nats
  url: nats://127.0.0.1:4222
  stream: DEV_KALSHI
storage:
  storage_type: local
  path: /tmp/x
`;
    const env = await loadEnvironmentFile(await write("dev", text));
    assert.equal(env.transport.type, "nats");
    assert.equal(env.transport.subject_prefix, "dev.kalshi");
    assert.equal(env.storage.type, "local");
    assert.deepEqual(env.subscription, {
      channels: ["ticker", "trade", "orderbook_delta", "market_lifecycle_v2"],
      categories: [],
      series: [],
      max_markets_per_connection: 200,
    });
    assert.deepEqual(env.keys, {});
  });

  it("allows the memory transport without a URL", async () => {
    const text =
      "name: local\nfeed: kalshi\nschema: trade:v1\ntransport: { type: memory, stream: LOCAL_KALSHI }\nstorage: { type: local, path: ./data }\n";
    const env = await loadEnvironmentFile(await write("local", text));
    assert.deepEqual(env.transport, {
      type: "memory",
      stream: "LOCAL_KALSHI",
      subject_prefix: "local.kalshi",
    });
  });

  it("reports an unknown key on its own line", async () => {
    const problems = await problemsOf("kalshi-prod", `${CANONICAL}colour: blue\n`);
    assert.deepEqual(problems, [`${join(dir.path, "kalshi-prod.yaml")}:13 colour: unknown key`]);
  });

  it("reports a wrong type with the file, line and field", async () => {
    const text = replace(CANONICAL, "max_markets_per_connection: 200", "max_markets_per_connection: lots");
    const [problem] = await problemsOf("kalshi-prod", text);
    assert.match(
      problem ?? "",
      /kalshi-prod\.yaml:8 subscription\.max_markets_per_connection: must be a number \(got string "lots"\)/,
    );
  });

  it("reports a missing required field", async () => {
    const problems = await problemsOf("kalshi-prod", replace(CANONICAL, "feed: kalshi\n", ""));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? "", /:\d+ feed: is required$/);
  });

  it("rejects an unknown transport type and lists the valid ones", async () => {
    const problems = await problemsOf("kalshi-prod", replace(CANONICAL, "type: nats", "type: kafka"));
    assert.match(problems[0] ?? "", /:9 transport\.type: must be one of nats, memory/);
  });

  it("needs the fields of the transport and storage type", async () => {
    const noUrl = replace(CANONICAL, "url: nats://localhost:4222, ", "");
    assert.match((await problemsOf("kalshi-prod", noUrl))[0] ?? "", /transport\.url: is required/);
    const s3 = replace(CANONICAL, "{ type: local, path: ./data }", "{ type: s3, bucket: b }");
    assert.match((await problemsOf("kalshi-prod", s3))[0] ?? "", /storage\.region: is required/);
  });

  it("checks the key source forms", async () => {
    for (const good of ["env:A", "env:A,B_2", "sealed-secret:ssmd/kalshi-creds", "file:/etc/kalshi.pem"]) {
      const env = await loadEnvironmentFile(
        await write("kalshi-prod", replace(CANONICAL, "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY", good)),
      );
      assert.equal(env.keys.kalshi?.source, good);
    }
    for (const bad of ["vault:x", "env:", "env:A,,B", "sealed-secret:noslash"]) {
      const problems = await problemsOf(
        "kalshi-prod",
        replace(CANONICAL, "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY", bad),
      );
      assert.match(problems[0] ?? "", /:7 keys\.kalshi\.source: must be env:VAR/, bad);
    }
  });

  it("checks the schema reference and clock times", async () => {
    assert.match(
      (await problemsOf("kalshi-prod", replace(CANONICAL, "trade:v1", "trade")))[0] ?? "",
      /schema: must be name:version/,
    );
    assert.match(
      (await problemsOf("kalshi-prod", replace(CANONICAL, '"00:10"', '"24:10"')))[0] ?? "",
      /schedule\.day_start: must be a time/,
    );
  });

  it("requires the name to equal the file name", async () => {
    const problems = await problemsOf("kalshi-staging", CANONICAL);
    assert.match(
      problems[0] ?? "",
      /kalshi-staging\.yaml:2 name: 'kalshi-prod' differs from the file name 'kalshi-staging'/,
    );
  });

  it("lists every problem at once", async () => {
    const text = replace(replace(CANONICAL, "trade:v1", "trade"), "type: local", "type: disk");
    assert.equal((await problemsOf("kalshi-prod", `${text}extra: 1\n`)).length, 3);
  });

  it("reports malformed YAML with its line", async () => {
    const problems = await problemsOf("bad", "name: bad\nfeed: [kalshi\nschema: x\n");
    assert.match(problems[0] ?? "", /bad\.yaml:\d+ /);
  });

  it("reports a missing file as not found", async () => {
    await assert.rejects(loadEnvironmentFile(join(dir.path, "nope.yaml")), NotFoundError);
  });
});
