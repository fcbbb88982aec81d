import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { initTree } from "../../src/metadata/bootstrap/init-tree.js";
import { editFile } from "../../src/metadata/edit.js";
import { verifyKey } from "../../src/metadata/key-verify.js";
import { resolveKeySource } from "../../src/metadata/load.js";
import { loadTree } from "../../src/metadata/tree.js";
import { validateTree } from "../../src/metadata/validate-tree.js";
import { tempDir } from "../helpers/tmp.js";

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await tempDir("ssmd-meta-tree-");
  await initTree(dir.path, { PATH: process.env.PATH });
});
afterEach(() => dir.cleanup());

const envPath = (name: string) => join(dir.path, "environments", `${name}.yaml`);

async function replaceIn(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, "utf8");
  assert.ok(text.includes(from), `${path} lacks '${from}'`);
  await writeFile(path, text.replace(from, to));
}

async function problems(): Promise<string[]> {
  return validateTree(await loadTree(dir.path));
}

describe("the exchanges tree", () => {
  it("bootstraps a tree that validates, with the environments from the contract", async () => {
    const tree = await loadTree(dir.path);
    assert.deepEqual(validateTree(tree), []);
    assert.deepEqual([...tree.feeds.keys()], ["kalshi", "kalshi-sim"]);
    assert.deepEqual([...tree.schemas.keys()].sort(), ["market_status", "orderbook", "ticker", "trade"]);
    const sim = tree.environments.get("kalshi-sim")?.config;
    assert.equal(sim?.feed, "kalshi-sim");
    assert.deepEqual(sim?.transport, {
      type: "nats",
      url: "nats://127.0.0.1:4222",
      stream: "SIM_KALSHI",
      subject_prefix: "sim.kalshi",
    });
    assert.equal(tree.environments.get("kalshi-local")?.config?.transport.type, "memory");
    assert.equal(tree.environments.get("kalshi-prod")?.config?.storage.type, "s3");
    assert.equal(
      tree.feeds.get("kalshi-sim")?.config?.versions[0]?.rest_endpoint,
      "http://127.0.0.1:8765/trade-api/v2",
    );
  });

  it("init never clobbers an edit", async () => {
    await appendFile(envPath("kalshi-dev"), "# my note\n");
    const result = await initTree(dir.path, { PATH: process.env.PATH });
    assert.equal(result.created.length, 0);
    assert.match(await readFile(envPath("kalshi-dev"), "utf8"), /# my note\n$/);
  });

  it("finds a schema file whose hash changed", async () => {
    await appendFile(join(dir.path, "schemas", "trade.v1.capnp"), "# edited\n");
    const [problem, ...rest] = await problems();
    assert.equal(rest.length, 0);
    assert.match(
      problem ?? "",
      /schemas\/trade\.yaml:\d+ versions\[0\]\.sha256: hash of 'trade\.v1\.capnp' changed/,
    );
  });

  it("finds an unknown feed with a suggestion", async () => {
    await replaceIn(envPath("kalshi-dev"), "feed: kalshi", "feed: kalshy");
    assert.deepEqual(await problems(), [
      `${envPath("kalshi-dev")}:3 feed: unknown feed 'kalshy'. Did you mean 'kalshi'? (valid: kalshi, kalshi-sim)`,
    ]);
  });

  it("refuses a feed that is not active", async () => {
    await replaceIn(join(dir.path, "feeds", "kalshi-sim.yaml"), "status: active", "status: disabled");
    assert.match(
      (await problems())[0] ?? "",
      /kalshi-sim\.yaml:3 feed: feed 'kalshi-sim' is disabled, not active/,
    );
  });

  it("refuses an unknown schema version and a draft schema", async () => {
    await replaceIn(envPath("kalshi-dev"), "schema: trade:v1", "schema: trade:v2");
    assert.match(
      (await problems())[0] ?? "",
      /schema: unknown schema version 'trade:v2'\. Did you mean 'trade:v1'\?/,
    );
    await replaceIn(envPath("kalshi-dev"), "schema: trade:v2", "schema: trade:v1");
    await replaceIn(join(dir.path, "schemas", "trade.yaml"), "status: active", "status: draft");
    assert.equal((await problems()).filter((p) => /is draft/.test(p)).length, 4);
  });

  it("round-trip edits keep comments and key order, and write nothing when invalid", async () => {
    const path = envPath("kalshi-dev");
    const before = await readFile(path, "utf8");
    await editFile("environment", path, (doc) => doc.setIn(["transport", "stream"], "OTHER"));
    const after = await readFile(path, "utf8");
    assert.equal(after, before.replace("stream: DEV_KALSHI", "stream: OTHER"));
    await assert.rejects(
      editFile("environment", path, (doc) => doc.setIn(["transport", "type"], "pigeon")),
      /would be invalid/,
    );
    assert.equal(await readFile(path, "utf8"), after);
  });
});

describe("validate --check-keys", () => {
  it("lists required keys that are missing, on the line of their source", async () => {
    const tree = await loadTree(dir.path);
    const all = validateTree(tree, { checkKeys: true, env: {}, cwd: dir.path });
    const sim = all.filter((p) => p.includes("kalshi-sim.yaml"));
    assert.deepEqual(sim, [
      `${envPath("kalshi-sim")}:10 keys.kalshi.source: KALSHI_API_KEY is not set`,
      `${envPath("kalshi-sim")}:10 keys.kalshi.source: KALSHI_PRIVATE_KEY_PATH is not set`,
    ]);
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    const env = { KALSHI_API_KEY: "id", KALSHI_PRIVATE_KEY: rsa, KALSHI_PRIVATE_KEY_PATH: "k.pem" };
    await writeFile(join(dir.path, "k.pem"), rsa);
    assert.deepEqual(validateTree(tree, { checkKeys: true, env, cwd: dir.path }), []);
  });
});

describe("keys", () => {
  const spec = (source: string) => ({
    type: "api_key",
    required: true,
    fields: ["api_key", "private_key"],
    source,
  });

  it("resolves env, file and sealed-secret sources", async () => {
    const fromEnv = resolveKeySource(spec("env:A,B"), { A: "1" });
    assert.deepEqual(fromEnv, { present: false, values: { A: "1" }, missing: ["B"] });
    const file = join(dir.path, "secret.txt");
    await writeFile(file, "s3cret");
    assert.deepEqual(resolveKeySource(spec(`file:${file}`), {}), {
      present: true,
      values: { [file]: "s3cret" },
      missing: [],
    });
    const sealed = resolveKeySource(spec("sealed-secret:ssmd/kalshi"), {});
    assert.equal(sealed.present, false);
    assert.match(sealed.missing[0] ?? "", /sealed secret ssmd\/kalshi/);
  });

  it("accepts an RSA PEM and rejects an EC key without printing it", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    await writeFile(join(dir.path, "rsa.pem"), rsa);
    const good = verifyKey("kalshi", spec("env:K,P_PATH"), { K: "id", P_PATH: "rsa.pem" }, dir.path);
    assert.equal(good.ok, true, good.notes.join());
    const bad = verifyKey("kalshi", spec("env:K,P"), { K: "id", P: ec }, dir.path);
    assert.equal(bad.ok, false);
    assert.match(bad.notes.join(), /Kalshi needs an RSA key/);
    assert.ok(!bad.notes.join().includes("BEGIN"), "a key must never be echoed");
  });
});
