/**
 * The simulator's API key: an RSA key pair whose private half clients sign with (written to
 * `--keys-dir` as Kalshi hands it out: PKCS#1 PEM), and the upgrade check that verifies the
 * KALSHI-ACCESS-* headers (PROTOCOL.md §1.2–1.4). Key material is never logged.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject, randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { AuthError } from "../../core/errors.js";
import {
  HEADER_KEY,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  loadPrivateKey,
  verifySignature,
} from "../../core/kalshi/sign.js";
import type { UpgradeAuth } from "./ws-server.js";

export interface SimKeys {
  apiKeyId: string;
  privateKeyPem: string;
  publicKey: KeyObject;
}

export const API_KEY_FILE = "api-key";
export const PRIVATE_KEY_FILE = "private-key.pem";

export function generateKeys(): SimKeys {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return { apiKeyId: randomUUID(), privateKeyPem, publicKey };
}

/** Reuses DIR/api-key + DIR/private-key.pem when both exist, else writes a new pair there. */
export async function loadOrCreateKeys(dir: string): Promise<SimKeys> {
  const existing = await readKeys(dir);
  if (existing) return existing;
  const keys = generateKeys();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, API_KEY_FILE), `${keys.apiKeyId}\n`, { mode: 0o600 });
  await writeFile(join(dir, PRIVATE_KEY_FILE), keys.privateKeyPem, { mode: 0o600 });
  return keys;
}

async function readKeys(dir: string): Promise<SimKeys | undefined> {
  let apiKeyId: string;
  let privateKeyPem: string;
  try {
    apiKeyId = (await readFile(join(dir, API_KEY_FILE), "utf8")).trim();
    privateKeyPem = await readFile(join(dir, PRIVATE_KEY_FILE), "utf8");
  } catch {
    return undefined;
  }
  if (apiKeyId === "") throw new AuthError(`${join(dir, API_KEY_FILE)} is empty`);
  const publicKey = createPublicKey(loadPrivateKey(privateKeyPem));
  return { apiKeyId, privateKeyPem, publicKey };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies the signed handshake: the key id must be ours, the timestamp (ms) within `maxSkewMs`
 * of now, and the signature a valid RSA-PSS signature of `ts + "GET" + path` (no query).
 */
export function createUpgradeAuth(keys: SimKeys, nowMs: () => number, maxSkewMs = 300_000): UpgradeAuth {
  return (req) => {
    const keyId = header(req, HEADER_KEY);
    const timestamp = header(req, HEADER_TIMESTAMP);
    const signature = header(req, HEADER_SIGNATURE);
    if (!keyId && !timestamp && !signature)
      return { ok: false, reason: "no KALSHI-ACCESS-* headers", missing: true };
    if (!keyId || !timestamp || !signature)
      return { ok: false, reason: "incomplete KALSHI-ACCESS-* headers" };
    if (keyId !== keys.apiKeyId) return { ok: false, reason: "unknown api key" };
    const skew = Math.abs(nowMs() - Number(timestamp));
    if (!Number.isFinite(skew) || skew > maxSkewMs)
      return { ok: false, reason: "timestamp outside the allowed window" };
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!verifySignature(keys.publicKey, timestamp, req.method ?? "GET", path, signature)) {
      return { ok: false, reason: "bad signature" };
    }
    return { ok: true };
  };
}
