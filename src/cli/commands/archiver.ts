/**
 * `ssmd archiver --config archiver.yaml` or `ssmd archiver --env E --output DIR` (also
 * `ssmd-archiver`): JetStream → {feed}/{date}/{HHMM}.jsonl.gz + manifest.json on a directory or
 * S3. Runs until SIGTERM/SIGINT, then seals the open file, writes the manifest and exits 0.
 */
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { parse as parseYaml } from "yaml";
import { connectNatsBus } from "../../adapters/bus/nats-bus.js";
import { parseListenAddress, startProbeServer } from "../../adapters/http/probe-server.js";
import { onShutdown } from "../../adapters/shutdown.js";
import { createLocalStore } from "../../adapters/storage/local-store.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { createArchiver } from "../../components/archiver/archiver.js";
import { parseArchiverFile } from "../../components/archiver/config.js";
import {
  type Overrides,
  type ResolvedArchiver,
  resolveFromEnvironment,
  resolveFromFile,
  type StorageTarget,
} from "../../components/archiver/resolve-config.js";
import { ConfigError, ParseError, ValidationError } from "../../core/errors.js";
import { loadEnvironmentFile } from "../../metadata/load.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import { positiveInt } from "../flags.js";
import type { CommandModule } from "./command-module.js";

interface ArchiverOptions {
  config?: string;
  env?: string;
  output?: string;
  healthAddr?: string;
  consumer?: string;
  rotation?: string;
  fsyncMessages?: string;
  fsyncIntervalMs?: string;
}

export const archiverCommand: CommandModule = {
  register(program: Command, ctx: CliContext) {
    program
      .command("archiver")
      .description("archive a JetStream stream to gzip JSONL files + daily manifests (local dir or S3)")
      .option("--config <file>", "archiver YAML (nats, storage, rotation, fsync, ...)")
      .option("--env <file>", "environment file: stream, subjects and feed from it")
      .option("--output <dir>", "with --env: archive root directory (default: the environment's storage)")
      .option("--health-addr <addr>", "listen address of /health /ready /metrics (default :8081)")
      .option("--consumer <name>", "durable consumer name (overrides the config)")
      .option("--rotation <interval>", "rotation interval, e.g. 15m, 1h (overrides the config)")
      .option("--fsync-messages <n>", "fsync + ack at least every N messages")
      .option("--fsync-interval-ms <ms>", "fsync + ack at least every so many ms (≤ 1000)")
      .addHelpText(
        "after",
        "\nEnvironment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (S3), LOG_LEVEL\n" +
          "\nExamples:\n  ssmd archiver --config archiver.yaml\n" +
          "  ssmd archiver --env exchanges/environments/kalshi-dev.yaml --output /data/kalshi\n",
      )
      .action((options: ArchiverOptions) => runArchiver(ctx, options));
  },
};

async function runArchiver(ctx: CliContext, options: ArchiverOptions): Promise<void> {
  const logger = commandLogger(ctx, "archiver");
  const resolved = await resolveOptions(ctx, options);
  const address = options.healthAddr ?? resolved.listen ?? ":8081";
  const listen = parseListenAddress(address);
  if (Number.isNaN(listen.port)) {
    throw new ValidationError(`invalid ${options.healthAddr ? "--health-addr" : "listen"} '${address}'`, [
      "use HOST:PORT or :PORT, e.g. 127.0.0.1:8081",
    ]);
  }
  const store = await storeFor(resolved.storage, ctx);
  const bus = await connectNatsBus({ url: resolved.natsUrl, name: "ssmd-archiver", logger });
  const archiver = createArchiver(resolved.config, { bus, store, logger });
  try {
    await archiver.start();
  } catch (error) {
    await bus.close();
    throw error;
  }
  const probes = await startProbeServer(
    {
      health: () => ({ ok: archiver.failure() === undefined, ...archiver.stats() }),
      ready: () => archiver.ready(),
      registry: archiver.metrics.registry,
    },
    listen.host,
    listen.port,
  );
  logger.info("probe server listening", { url: probes.url });
  const shutdown = async () => {
    await archiver.stop();
    await bus.close();
    await probes.close();
  };
  await new Promise<void>((resolvePromise) => {
    const watchdog = setInterval(() => {
      if (!archiver.failure()) return;
      clearInterval(watchdog);
      void shutdown().finally(() => {
        process.exitCode = 3;
        resolvePromise();
      });
    }, 500);
    onShutdown(
      async (signal) => {
        clearInterval(watchdog);
        logger.info("shutting down", { signal });
        await shutdown();
      },
      (code) => {
        process.exitCode = code;
        resolvePromise();
      },
    );
  });
}

async function resolveOptions(ctx: CliContext, options: ArchiverOptions): Promise<ResolvedArchiver> {
  const overrides: Overrides = {
    consumer: options.consumer,
    rotation: options.rotation,
    fsyncMessages: positiveInt(options.fsyncMessages, "--fsync-messages"),
    fsyncIntervalMs: positiveInt(options.fsyncIntervalMs, "--fsync-interval-ms"),
  };
  if (options.config && options.env) throw new ValidationError("use either --config or --env, not both");
  if (options.config) {
    const text = await readFile(options.config, "utf8").catch((error: unknown) => {
      throw new ConfigError(`cannot read archiver config ${options.config}`, { cause: error });
    });
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (error) {
      throw new ParseError(`archiver config ${options.config} is not valid YAML`, { cause: error });
    }
    return resolveFromFile(parseArchiverFile(value, options.config), ctx.cwd, overrides);
  }
  if (options.env) {
    return resolveFromEnvironment(await loadEnvironmentFile(options.env), options.output, ctx.cwd, overrides);
  }
  throw new ValidationError("missing --config or --env", [
    "ssmd archiver --config archiver.yaml",
    "ssmd archiver --env exchanges/environments/kalshi-dev.yaml --output ./data",
  ]);
}

/** The AWS SDK loads only when S3 is configured (it is slow to import). */
async function storeFor(storage: StorageTarget, ctx: CliContext): Promise<ObjectStore> {
  if (storage.type === "local") return createLocalStore(storage.path);
  const { createS3Store } = await import("../../adapters/storage/s3-store.js");
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = ctx.env;
  return createS3Store({
    ...storage,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
  });
}
