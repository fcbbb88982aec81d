import assert from "node:assert/strict";
import { constants, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { AuthError, ConfigError } from "../../src/core/errors.js";
import { authHeaders, loadPrivateKey, signRequest, verifySignature } from "../../src/core/kalshi/sign.js";
import { tempDir } from "../helpers/tmp.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const pkcs8 = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const publicKey = createPublicKey(privateKey);
const TS = 1703123456789;

describe("kalshi signing", () => {
  for (const [name, pem] of [
    ["PKCS#1", pkcs1],
    ["PKCS#8", pkcs8],
  ] as const) {
    it(`round-trips with a ${name} key`, () => {
      const key = loadPrivateKey(pem);
      const signature = signRequest(key, TS, "GET", "/trade-api/ws/v2");
      assert.match(signature, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(Buffer.from(signature, "base64").length, 256);
      assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/ws/v2", signature), true);
    });
  }

  it("signs exactly <ts><METHOD><path> with PSS salt 32 (checked with node:crypto directly)", () => {
    const signature = signRequest(loadPrivateKey(pkcs1), TS, "get", "/trade-api/v2/markets?limit=5");
    const payload = Buffer.from(`${TS}GET/trade-api/v2/markets`);
    const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING };
    const bytes = Buffer.from(signature, "base64");
    assert.equal(verify("sha256", payload, { ...options, saltLength: 32 }, bytes), true);
    assert.equal(verify("sha256", payload, { ...options, saltLength: 20 }, bytes), false);
  });

  it("rejects tampered signatures, payloads and garbage", () => {
    const key = loadPrivateKey(pkcs8);
    const signature = signRequest(key, TS, "GET", "/trade-api/ws/v2");
    const bytes = Buffer.from(signature, "base64");
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    const tampered = bytes.toString("base64");
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/ws/v2", tampered), false);
    assert.equal(verifySignature(publicKey, String(TS + 1), "GET", "/trade-api/ws/v2", signature), false);
    assert.equal(verifySignature(publicKey, String(TS), "POST", "/trade-api/ws/v2", signature), false);
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/v2", signature), false);
    assert.equal(verifySignature(publicKey, "abc", "GET", "/trade-api/ws/v2", signature), false);
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/ws/v2", "!!not base64"), false);
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/ws/v2", ""), false);
    const other = createPublicKey(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
    assert.equal(verifySignature(other, String(TS), "GET", "/trade-api/ws/v2", signature), false);
  });

  it("builds the three KALSHI-ACCESS headers", () => {
    const headers = authHeaders("key-id-1", loadPrivateKey(pkcs1), TS, "GET", "/trade-api/ws/v2");
    assert.deepEqual(Object.keys(headers).sort(), [
      "KALSHI-ACCESS-KEY",
      "KALSHI-ACCESS-SIGNATURE",
      "KALSHI-ACCESS-TIMESTAMP",
    ]);
    assert.equal(headers["KALSHI-ACCESS-KEY"], "key-id-1");
    assert.equal(headers["KALSHI-ACCESS-TIMESTAMP"], String(TS));
    const signature = headers["KALSHI-ACCESS-SIGNATURE"] ?? "";
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/trade-api/ws/v2", signature), true);
  });

  it("loadPrivateKey throws AuthError without echoing the key", () => {
    // A PEM whose DER body is cut short never parses (random byte edits sometimes still do).
    const pemLines = pkcs1.trim().split("\n");
    const broken = [...pemLines.slice(0, 4), pemLines[pemLines.length - 1]].join("\n");
    const secretLine = pkcs1.split("\n")[3] ?? "";
    for (const pem of ["not a key", broken, publicKey.export({ type: "spki", format: "pem" }).toString()]) {
      assert.throws(
        () => loadPrivateKey(pem),
        (error: unknown) => {
          assert.ok(error instanceof AuthError);
          assert.ok(!error.message.includes(secretLine));
          assert.ok(!error.details.join("\n").includes(secretLine));
          return true;
        },
      );
    }
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
    assert.throws(() => loadPrivateKey(ec.export({ type: "pkcs8", format: "pem" }).toString()), /RSA/);
  });
});

describe("kalshi credentials", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir("ssmd-creds-");
  });
  after(() => dir.cleanup());

  it("reads inline PEM and key files", async () => {
    const inline = await loadCredentials({ apiKey: " abc ", privateKeyPem: pkcs8 });
    assert.equal(inline.keyId, "abc");
    const path = join(dir.path, "kalshi.key");
    await writeFile(path, pkcs1);
    const fromFile = await loadCredentials({ apiKey: "abc", privateKeyPath: path });
    const signature = signRequest(fromFile.privateKey, TS, "GET", "/x");
    assert.equal(verifySignature(publicKey, String(TS), "GET", "/x", signature), true);
  });

  it("reports missing files and bad keys without key material", async () => {
    await assert.rejects(
      loadCredentials({ apiKey: "abc", privateKeyPath: join(dir.path, "nope") }),
      ConfigError,
    );
    await assert.rejects(loadCredentials({ apiKey: "", privateKeyPem: pkcs1 }), ConfigError);
    await assert.rejects(loadCredentials({ apiKey: "abc" }), ConfigError);
    const bad = join(dir.path, "bad.key");
    await writeFile(bad, "SECRETSECRET");
    await assert.rejects(loadCredentials({ apiKey: "abc", privateKeyPath: bad }), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /bad\.key/);
      assert.ok(!error.message.includes("SECRETSECRET"));
      return true;
    });
  });
});
