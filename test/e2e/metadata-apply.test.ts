/**
 * `ssmd env apply` and `ssmd key verify` through the real binary against a real nats-server:
 * the checklist, the live stream check, the confirmation prompt, and keys that never leak.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect } from "nats";
import { type CliResult, runSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

let home: { path: string; cleanup: () => Promise<void> };
let nats: TestNatsServer;
let ex: string;
const STREAM = `APPLY_${process.pid}`;

function run(args: string[], extra: Record<string, string> = {}, input?: string): Promise<CliResult> {
  const env = {
    HOME: home.path,
    GIT_CONFIG_NOSYSTEM: "1",
    SSMD_EXCHANGES: ex,
    KALSHI_API_KEY: "",
    KALSHI_PRIVATE_KEY_PATH: "",
    ...extra,
  };
  return runSsmd(args, { cwd: home.path, env, input });
}

async function stagingFile(url: string): Promise<string> {
  const sim = await readFile(join(ex, "environments", "kalshi-sim.yaml"), "utf8");
  const text = sim
    .replace("name: kalshi-sim", "name: kalshi-staging")
    .replace("nats://127.0.0.1:4222", url)
    .replace("SIM_KALSHI", STREAM);
  const path = join(home.path, "kalshi-staging.yaml");
  await writeFile(path, text);
  return path;
}

before(async () => {
  home = await tempDir("ssmd-e2e-apply-");
  ex = join(home.path, "exchanges");
  nats = await startNatsServer();
  const init = await run(["init", "--dir", ex]);
  assert.equal(init.code, 0, init.stderr);
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  });
  await writeFile(join(home.path, "rsa.pem"), rsa);
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  });
  await writeFile(join(home.path, "ec.pem"), ec);
});
after(async () => {
  await nats.cleanup();
  await home.cleanup();
});

const goodKeys = { KALSHI_API_KEY: "key-id-123", KALSHI_PRIVATE_KEY_PATH: "rsa.pem" };

describe("ssmd env apply / key verify (real binary, real nats-server)", () => {
  it("key verify: present RSA key passes, an EC key and missing vars fail, values never printed", async () => {
    const good = await run(["key", "verify", "kalshi-sim"], goodKeys);
    assert.equal(good.code, 0, good.stderr);
    assert.match(
      good.stdout,
      /✓ key 'kalshi' \(env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY_PATH\): present and valid/,
    );
    const ec = await run(["key", "verify", "kalshi-sim"], { ...goodKeys, KALSHI_PRIVATE_KEY_PATH: "ec.pem" });
    assert.equal(ec.code, 1);
    assert.match(ec.stdout, /Kalshi needs an RSA key/);
    const none = await run(["key", "list", "kalshi-sim", "--json"]);
    assert.deepEqual(JSON.parse(none.stdout)[0].present, false);
    for (const output of [good, ec, none])
      assert.ok(!`${output.stdout}${output.stderr}`.includes("key-id-123"));
  });

  it("refuses when the stream does not exist, applies after it is created", async () => {
    const file = await stagingFile(nats.url);
    const target = join(ex, "environments", "kalshi-staging.yaml");
    const missing = await run(["env", "apply", file, "--yes"], goodKeys);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /✓ Feed 'kalshi-sim' exists and is active/);
    assert.match(missing.stdout, new RegExp(`✗ NATS stream '${STREAM}' does not exist`));
    assert.ok(!existsSync(target));

    const connection = await connect({ servers: nats.url });
    const manager = await connection.jetstreamManager();
    await manager.streams.add({ name: STREAM, subjects: ["staging.>"] });
    await connection.close();

    const declined = await run(["env", "apply", file], goodKeys, "n\n");
    assert.equal(declined.code, 1);
    assert.match(declined.stdout, /Proceed\? \[y\/N\]/);
    assert.ok(!existsSync(target));

    const applied = await run(["env", "apply", file], goodKeys, "y\n");
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, new RegExp(`✓ NATS stream '${STREAM}' exists`));
    assert.match(applied.stdout, /✓ Storage path '\.\/data' is writable/);
    assert.equal(await readFile(target, "utf8"), await readFile(file, "utf8"));
  });

  it("warns (does not fail) when NATS is not reachable, and fails on a missing key", async () => {
    const file = await stagingFile(`nats://127.0.0.1:${await freePort()}`);
    const result = await run(["env", "apply", file, "--yes"]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /! NATS at nats:\/\/127\.0\.0\.1:\d+ not reachable/);
    assert.match(result.stdout, /✗ Key 'kalshi' .*KALSHI_API_KEY is not set/);
  });
});
