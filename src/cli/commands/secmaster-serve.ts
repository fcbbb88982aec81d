/**
 * `ssmd secmaster snapshot` (daily markets file into the archive) and `ssmd secmaster watch`
 * (long-running: applies the connector's lifecycle stream, /health /ready /metrics, SIGTERM drain).
 */
import { resolve } from "node:path";
import { parseListenAddress, startProbeServer } from "../../adapters/http/probe-server.js";
import { onShutdown } from "../../adapters/shutdown.js";
import { createLocalStore } from "../../adapters/storage/local-store.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { CacheFollower } from "../../components/secmaster/cache-follower.js";
import { LifecycleApplier } from "../../components/secmaster/lifecycle-applier.js";
import { writeMarketSnapshot } from "../../components/secmaster/snapshot.js";
import { ConfigError, ValidationError } from "../../core/errors.js";
import type { EnvironmentConfig } from "../../metadata/types.js";
import type { CliContext } from "../context.js";
import { printJson, printLine } from "../output.js";
import { type CommonOptions, withStore } from "./secmaster-actions.js";
import { cliLogger, openSecmaster, resolveEnv } from "./secmaster-env.js";

export interface SnapshotCliOptions extends CommonOptions {
  date?: string;
  output?: string;
}

async function objectStoreOf(
  ctx: CliContext,
  environment: EnvironmentConfig,
  output: string | undefined,
): Promise<ObjectStore> {
  if (output) return createLocalStore(resolve(ctx.cwd, output));
  const storage = environment.storage;
  if (storage.type === "local") return createLocalStore(resolve(ctx.cwd, storage.path));
  const { createS3Store } = await import("../../adapters/storage/s3-store.js");
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = ctx.env;
  return createS3Store({
    ...storage,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  });
}

export async function snapshotAction(
  ctx: CliContext,
  envName: string,
  options: SnapshotCliOptions,
): Promise<void> {
  const env = await resolveEnv(ctx, envName, options);
  const objects = await objectStoreOf(ctx, env.environment, options.output);
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  await withStore(ctx, envName, options, false, async ({ store }) => {
    const result = await writeMarketSnapshot(store, objects, {
      feed: env.environment.feed,
      date,
      nowMs: Date.now(),
    });
    if (options.json) return printJson(ctx, { ...result, location: objects.location });
    printLine(
      ctx,
      `wrote ${result.markets} markets as of ${result.asOf} to ${objects.location}/${result.key}`,
    );
  });
}

export interface WatchCliOptions extends CommonOptions {
  healthAddr: string;
  consumer?: string;
  clockCheckMs?: string;
}

export async function watchAction(ctx: CliContext, envName: string, options: WatchCliOptions): Promise<void> {
  const logger = cliLogger(ctx, "secmaster", true);
  const env = await resolveEnv(ctx, envName, options);
  const transport = env.environment.transport;
  if (transport.type !== "nats")
    throw new ConfigError("secmaster watch needs transport type nats (the connector's stream)");
  const listen = parseListenAddress(options.healthAddr);
  if (Number.isNaN(listen.port)) throw new ValidationError(`invalid --health-addr '${options.healthAddr}'`);
  const clockCheckMs = Number(options.clockCheckMs ?? "10000");
  if (!Number.isInteger(clockCheckMs) || clockCheckMs < 0)
    throw new ValidationError("--clock-check-ms must be an integer ≥ 0");
  const opened = await openSecmaster(ctx, env, { ...options, events: true }, true, logger);
  const bus = opened.bus;
  if (!bus) throw new ConfigError("secmaster watch needs the NATS bus");
  const applier = new LifecycleApplier(
    {
      stream: transport.stream,
      prefix: transport.subject_prefix,
      durable: options.consumer ?? `secmaster-${env.environment.name}`,
      clockCheckMs,
    },
    { bus, store: opened.store, logger, now: Date.now },
  );
  const follower = opened.cache
    ? new CacheFollower(
        { stream: transport.stream, prefix: transport.subject_prefix },
        { bus, cache: opened.cache, logger },
      )
    : undefined;
  try {
    await applier.start();
    await follower?.start();
  } catch (error) {
    await applier.stop();
    await opened.close();
    throw error;
  }
  const probes = await startProbeServer(
    {
      health: () => ({ ok: true, ...applier.stats }),
      ready: () => applier.ready(),
      registry: opened.store.metrics.registry,
    },
    listen.host,
    listen.port,
  );
  logger.info("secmaster watching lifecycle", { stream: transport.stream, probes: probes.url });
  await new Promise<void>((done) => {
    onShutdown(
      async (signal) => {
        logger.info("shutting down", { signal });
        await applier.stop();
        await follower?.stop();
        await probes.close();
        await opened.close();
      },
      (code) => {
        process.exitCode = code;
        done();
      },
    );
  });
}
