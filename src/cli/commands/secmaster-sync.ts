/**
 * `ssmd secmaster sync` / `ssmd market sync`: REST client (patient retries, credentials when
 * given), database, change events, progress on a TTY, then the summary as a table or --json.
 */
import { KalshiRestClient } from "../../adapters/kalshi/rest-client.js";
import { runSync, type SyncProgress } from "../../components/secmaster/sync.js";
import type { CliContext } from "../context.js";
import { createProgress, printJson } from "../output.js";
import type { CommonOptions } from "./secmaster-actions.js";
import { cliLogger, openSecmaster, resolveEnv, restUrlOf } from "./secmaster-env.js";
import { printSummary } from "./secmaster-output.js";

export interface SyncCliOptions extends CommonOptions {
  incremental?: boolean;
  series?: string;
  category?: string;
  dryRun?: boolean;
}

export async function syncAction(ctx: CliContext, envName: string, options: SyncCliOptions): Promise<void> {
  const logger = cliLogger(ctx, "secmaster");
  const env = await resolveEnv(ctx, envName, options);
  const baseUrl = await restUrlOf(ctx, env, options);
  const credentials = await credentialsOf(ctx);
  const client = new KalshiRestClient({
    baseUrl,
    credentials,
    logger,
    retry: { maxAttempts: 12, baseDelayMs: 500, maxDelayMs: 15_000 },
  });
  const opened = await openSecmaster(ctx, env, options, !options.dryRun, logger);
  const progress = createProgress(ctx, "syncing");
  try {
    const summary = await runSync(
      {
        store: opened.store,
        client,
        now: Date.now,
        logger,
        onProgress: (p: SyncProgress) => progress.update(p.done, undefined, p.phase),
      },
      {
        incremental: options.incremental,
        series: options.series
          ?.split(",")
          .map((s) => s.trim())
          .filter(Boolean),
        category: options.category,
        dryRun: options.dryRun,
      },
    );
    progress.finish("done");
    if (options.json) printJson(ctx, summary);
    else printSummary(ctx, summary);
  } finally {
    await opened.close();
  }
}

async function credentialsOf(ctx: CliContext) {
  const apiKey = ctx.env.KALSHI_API_KEY;
  if (!apiKey) return undefined;
  const { loadCredentials } = await import("../../adapters/kalshi/credentials.js");
  const privateKeyPem = ctx.env.KALSHI_PRIVATE_KEY || undefined;
  const privateKeyPath = ctx.env.KALSHI_PRIVATE_KEY_PATH || undefined;
  return loadCredentials({
    apiKey,
    ...(privateKeyPem ? { privateKeyPem } : {}),
    ...(privateKeyPath ? { privateKeyPath } : {}),
  });
}
