/**
 * Kalshi request signing (PROTOCOL.md §1.3): RSA-PSS over `<timestamp_ms><METHOD><path>`,
 * SHA-256, MGF1-SHA256, salt length 32 (= digest length), base64 (standard, padded).
 * Pure: the timestamp is passed in, never read from the clock. Key material is never echoed.
 */
import { constants, createPrivateKey, type KeyObject, sign, verify } from "node:crypto";
import { AuthError } from "../errors.js";

const PSS_SALT_LENGTH = 32;

export const HEADER_KEY = "KALSHI-ACCESS-KEY";
export const HEADER_TIMESTAMP = "KALSHI-ACCESS-TIMESTAMP";
export const HEADER_SIGNATURE = "KALSHI-ACCESS-SIGNATURE";

/** The path Kalshi signs: from the host root, without query string or fragment. */
export function signingPath(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

function signingPayload(timestampMs: number | string, method: string, path: string): Buffer {
  return Buffer.from(`${timestampMs}${method.toUpperCase()}${signingPath(path)}`, "utf8");
}

/** Base64 RSA-PSS signature of `<timestampMs><METHOD><path>` (query string stripped). */
export function signRequest(
  privateKey: KeyObject,
  timestampMs: number,
  method: string,
  path: string,
): string {
  const payload = signingPayload(timestampMs, method, path);
  const signature = sign("sha256", payload, {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: PSS_SALT_LENGTH,
  });
  return signature.toString("base64");
}

/** True when `signatureB64` is a valid signature; false for any malformed input (never throws). */
export function verifySignature(
  publicKey: KeyObject,
  timestampMs: string,
  method: string,
  path: string,
  signatureB64: string,
): boolean {
  if (!/^\d+$/.test(timestampMs) || !/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return false;
  try {
    return verify(
      "sha256",
      signingPayload(timestampMs, method, path),
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: PSS_SALT_LENGTH },
      Buffer.from(signatureB64, "base64"),
    );
  } catch {
    return false;
  }
}

/** The three KALSHI-ACCESS-* headers for one request or WebSocket upgrade. */
export function authHeaders(
  keyId: string,
  privateKey: KeyObject,
  timestampMs: number,
  method: string,
  path: string,
): Record<string, string> {
  return {
    [HEADER_KEY]: keyId,
    [HEADER_TIMESTAMP]: String(timestampMs),
    [HEADER_SIGNATURE]: signRequest(privateKey, timestampMs, method, path),
  };
}

/** Parses a PEM RSA private key (PKCS#1 or PKCS#8). AuthError otherwise; the key is never echoed. */
export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (cause) {
    const reason = cause instanceof Error && "code" in cause ? ` (${String(cause.code)})` : "";
    throw new AuthError(`private key is not a readable PEM private key${reason}`, {
      details: [
        "expected '-----BEGIN RSA PRIVATE KEY-----' (PKCS#1) or '-----BEGIN PRIVATE KEY-----' (PKCS#8)",
      ],
    });
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new AuthError(
      `private key is a ${key.asymmetricKeyType ?? "unknown"} key, Kalshi needs an RSA key`,
    );
  }
  return key;
}
