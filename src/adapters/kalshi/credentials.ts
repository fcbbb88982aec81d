/**
 * Kalshi API credentials: key id + RSA private key, from inline PEM or a file path.
 * Error messages name the file, never its contents.
 */

import type { KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { AuthError, ConfigError } from "../../core/errors.js";
import { loadPrivateKey } from "../../core/kalshi/sign.js";

export interface KalshiCredentials {
  keyId: string;
  privateKey: KeyObject;
}

export interface CredentialSource {
  apiKey: string;
  privateKeyPem?: string;
  privateKeyPath?: string;
}

async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const code = cause instanceof Error && "code" in cause ? String(cause.code) : "read failed";
    throw new ConfigError(`cannot read Kalshi private key file '${path}' (${code})`);
  }
}

/** Resolves key id + private key. ConfigError when something is missing, AuthError when the key is bad. */
export async function loadCredentials(source: CredentialSource): Promise<KalshiCredentials> {
  const keyId = source.apiKey.trim();
  if (keyId === "") throw new ConfigError("Kalshi API key id is empty");
  const pem =
    source.privateKeyPem ?? (source.privateKeyPath ? await readKeyFile(source.privateKeyPath) : undefined);
  if (pem === undefined || pem.trim() === "") {
    throw new ConfigError("Kalshi private key missing: give the PEM text or a path to the key file");
  }
  try {
    return { keyId, privateKey: loadPrivateKey(pem) };
  } catch (error) {
    if (error instanceof AuthError && source.privateKeyPath) {
      throw new AuthError(`${error.message} (file '${source.privateKeyPath}')`, { details: error.details });
    }
    throw error;
  }
}
