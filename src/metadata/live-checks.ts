/**
 * Checks of an environment against the live infrastructure, for `ssmd env apply`: the NATS
 * stream exists, the storage path is writable or the bucket reachable, the keys are present.
 * Something that cannot be reached is a warning (checked "where reachable"); something that
 * answers "no" is a failure.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { errorMessage } from "../core/errors.js";
import { verifyKey } from "./key-verify.js";
import { effectiveRetention } from "./retention.js";
import { retentionCheck } from "./retention-check.js";
import type { EnvironmentConfig, StorageConfig, TransportConfig } from "./types.js";

export type CheckStatus = "ok" | "fail" | "warn";

export interface CheckItem {
  status: CheckStatus;
  text: string;
}

export interface LiveCheckOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  timeoutMs?: number;
}

export async function liveChecks(
  environment: EnvironmentConfig,
  options: LiveCheckOptions,
): Promise<CheckItem[]> {
  const timeoutMs = options.timeoutMs ?? 3000;
  return [
    ...(await transportCheck(environment.transport, timeoutMs)),
    await storageCheck(environment.storage, options.cwd, timeoutMs),
    ...keyChecks(environment, options),
  ];
}

/** The stream exists, and (when it does) its retention matches the environment's. */
export async function transportCheck(transport: TransportConfig, timeoutMs: number): Promise<CheckItem[]> {
  if (transport.type === "memory")
    return [{ status: "ok", text: "Transport is in-process (memory): nothing to reach" }];
  const { connect } = await import("nats"); // loaded only when needed: keeps every other command fast
  let connection: Awaited<ReturnType<typeof connect>> | undefined;
  try {
    connection = await connect({
      servers: transport.url,
      timeout: timeoutMs,
      reconnect: false,
      maxReconnectAttempts: 0,
    });
  } catch (error) {
    return [
      {
        status: "warn",
        text: `NATS at ${transport.url} not reachable (${errorMessage(error)}); stream not checked`,
      },
    ];
  }
  try {
    const manager = await connection.jetstreamManager({ timeout: timeoutMs });
    const info = await manager.streams.info(transport.stream);
    const { limitsOf } = await import("../adapters/bus/nats-config.js");
    return [
      { status: "ok", text: `NATS stream '${transport.stream}' exists (${info.state.messages} messages)` },
      retentionCheck(transport.stream, limitsOf(info.config), effectiveRetention(transport)),
    ];
  } catch (error) {
    const message = errorMessage(error);
    if (/not found/i.test(message))
      return [
        {
          status: "fail",
          text: `NATS stream '${transport.stream}' does not exist at ${transport.url} (create it, or start the connector once)`,
        },
      ];
    return [{ status: "fail", text: `NATS at ${transport.url}: JetStream check failed (${message})` }];
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export async function storageCheck(
  storage: StorageConfig,
  cwd: string,
  timeoutMs: number,
): Promise<CheckItem> {
  if (storage.type === "local") return localStorageCheck(resolve(cwd, storage.path), storage.path);
  const { HeadBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({
    region: storage.region,
    endpoint: storage.endpoint,
    forcePathStyle: storage.force_path_style,
    maxAttempts: 1,
  });
  try {
    await client.send(new HeadBucketCommand({ Bucket: storage.bucket }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return { status: "ok", text: `S3 bucket '${storage.bucket}' is reachable` };
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return { status: "fail", text: `S3 bucket '${storage.bucket}' does not exist` };
    if (status === 403) return { status: "fail", text: `S3 bucket '${storage.bucket}': access denied` };
    return {
      status: "warn",
      text: `S3 bucket '${storage.bucket}' not reachable (${errorMessage(error)}); not checked`,
    };
  } finally {
    client.destroy();
  }
}

async function localStorageCheck(absolute: string, written: string): Promise<CheckItem> {
  let probe = absolute;
  while (!(await exists(probe)) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    await access(probe, constants.W_OK);
    const note = probe === absolute ? "" : " (will be created)";
    return { status: "ok", text: `Storage path '${written}' is writable${note}` };
  } catch {
    return { status: "fail", text: `Storage path '${written}' is not writable (${probe})` };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function keyChecks(environment: EnvironmentConfig, options: LiveCheckOptions): CheckItem[] {
  return Object.entries(environment.keys).map(([name, spec]) => {
    const result = verifyKey(name, spec, options.env, options.cwd);
    if (result.ok) return { status: "ok", text: `Key '${name}' present and valid (${spec.source})` };
    const why = result.notes.join("; ");
    if (!spec.required) return { status: "warn", text: `Optional key '${name}' not usable: ${why}` };
    if (result.unverifiable) return { status: "warn", text: `Key '${name}': ${why}` };
    return { status: "fail", text: `Key '${name}' (${spec.source}): ${why}` };
  });
}
