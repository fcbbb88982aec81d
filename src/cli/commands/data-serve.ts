/**
 * `ssmd data serve` (also `ssmd-data`): the data API over the archive. Settings: flags, then
 * SSMD_DATA_PATH / SSMD_API_KEY / SSMD_DATA_PORT, then defaults (port 8080). Runs until SIGTERM.
 */
import { resolve } from "node:path";
import type { Command } from "commander";
import { onShutdown } from "../../adapters/shutdown.js";
import { createDataApi } from "../../components/data-api/data-api.js";
import { ConfigError } from "../../core/errors.js";
import { commandLogger } from "../command-logger.js";
import type { CliContext } from "../context.js";
import { VERSION } from "../program.js";
import { openStore } from "./data-common.js";

interface ServeOptions {
  path?: string;
  port?: string;
  host: string;
  exchanges?: string;
  secmaster?: string;
}

export function registerServe(data: Command, ctx: CliContext): void {
  data
    .command("serve")
    .description("serve the archive over HTTP (datasets, samples, NDJSON streams, metadata)")
    .option("--path <root>", "archive root: a directory or s3://bucket/prefix (default: $SSMD_DATA_PATH)")
    .option("--port <port>", "listen port (default: $SSMD_DATA_PORT or 8080)")
    .option("--host <host>", "listen address", "0.0.0.0")
    .option("--exchanges <dir>", "GitOps metadata for /v1/meta (default: $SSMD_EXCHANGES or ./exchanges)")
    .option(
      "--secmaster <url>",
      "serve /v1/markets, /v1/events, /v1/series from this secmaster (postgres://... | pglite:DIR)",
    )
    .addHelpText(
      "after",
      "\nThe API key comes from SSMD_API_KEY (never a flag, so it stays out of `ps`).\n\nExample:\n  SSMD_DATA_PATH=./data SSMD_API_KEY=dev ssmd data serve\n  curl -H 'X-API-Key: dev' localhost:8080/datasets\n",
    )
    .action((options: ServeOptions) => serve(ctx, options));
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new ConfigError(`invalid port '${text}'`);
  return port;
}

async function serve(ctx: CliContext, options: ServeOptions): Promise<void> {
  const apiKey = ctx.env.SSMD_API_KEY;
  if (!apiKey)
    throw new ConfigError("SSMD_API_KEY is not set", {
      details: ["the data API refuses to run without a key"],
    });
  const port = portOf(options.port ?? ctx.env.SSMD_DATA_PORT ?? "8080");
  const store = await openStore(ctx, options);
  const logger = commandLogger(ctx, "data-api");
  const secmaster = options.secmaster ? await openSecmasterRoutes(options.secmaster, ctx.cwd) : undefined;
  const api = createDataApi(
    {
      host: options.host,
      port,
      apiKey,
      exchangesDir: resolve(ctx.cwd, options.exchanges ?? ctx.env.SSMD_EXCHANGES ?? "exchanges"),
      gitEnv: { PATH: ctx.env.PATH, HOME: ctx.env.HOME },
      version: VERSION,
    },
    { store, logger, extraRoutes: secmaster?.routes },
  );
  await api.start();
  await new Promise<void>((done) => {
    onShutdown(
      async (signal) => {
        logger.info("shutting down", { signal });
        await api.stop();
        await secmaster?.close();
      },
      (code) => {
        process.exitCode = code;
        done();
      },
    );
  });
}

/** The secmaster's routes over its database (loaded only when --secmaster is given). */
async function openSecmasterRoutes(url: string, cwd: string) {
  const { openDb } = await import("../../adapters/db/open-db.js");
  const { SecmasterStore, secmasterRoutes } = await import("../../components/secmaster/index.js");
  const db = await openDb(url, { cwd });
  return { routes: secmasterRoutes(new SecmasterStore(db)), close: () => db.close() };
}
