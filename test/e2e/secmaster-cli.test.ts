/**
 * `ssmd secmaster ...` and `ssmd market ...` through the real binary (run `npm run build`
 * first) against an in-process simulator: sync (full, incremental, dry run), list, show with
 * --as-of and "Did you mean", stats, events, series, snapshot, an unreachable database, and the
 * embedded PGlite default from the environment file.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { type Simulator, startSimulator } from "../../src/components/sim/index.js";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import { startNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { tempDir } from "../helpers/tmp.js";

describe("ssmd secmaster CLI", () => {
  let sim: Simulator;
  let dir: { path: string; cleanup(): Promise<void> };
  let database: TestDatabase;
  let exchanges: string;

  before(async () => {
    sim = await startSimulator({ port: 0, rate: 0, markets: 16, seed: 9, lifecycleIntervalMs: 1000 });
    dir = await tempDir("ssmd-secmaster-cli-");
    exchanges = join(dir.path, "exchanges");
    database = await createTestDatabase("ssmd_secmaster_cli");
    const init = await runSsmd(["init", "--dir", exchanges]);
    assert.equal(init.code, 0, init.stderr);
  });
  after(async () => {
    await database.drop();
    await dir.cleanup();
    await sim.stop();
  });

  const ssmd = (args: string[]) =>
    runSsmd([...args, "--dir", exchanges, "--db", database.url], { cwd: dir.path, timeoutMs: 90_000 });
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;
  const jsonOf = async <T>(args: string[]): Promise<T> => {
    const result = await ssmd(args);
    assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
    return json<T>(result.stdout);
  };
  interface Summary {
    kind: string;
    dryRun: boolean;
    markets: { added: number; changed: number; closed: number; settled: number };
  }
  type View = Record<string, string | null>;

  test("sync, list, show, stats, events, series, snapshot", async () => {
    const sync = await ssmd([
      "secmaster",
      "sync",
      "kalshi-sim",
      "--rest-url",
      sim.restUrl,
      "--no-events",
      "--json",
    ]);
    assert.equal(sync.code, 0, sync.stderr);
    assert.equal(json<Summary>(sync.stdout).markets.added, 16);
    const table = await ssmd(["secmaster", "sync", "kalshi-sim", "--rest-url", sim.restUrl, "--no-events"]);
    assert.match(table.stdout, /markets\s+16\s+0\s+0\s+0\s+0/);

    const list = await jsonOf<{ markets: View[] }>([
      "market",
      "list",
      "kalshi-sim",
      "--status",
      "open",
      "--json",
    ]);
    assert.equal(list.markets.length, 16);
    const ticker = String(list.markets[0]?.ticker);
    const syncedAt = new Date().toISOString();

    const typo = await ssmd(["secmaster", "show", "kalshi-sim", ticker.slice(0, -1)]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, new RegExp(`Did you mean '${ticker.replaceAll(".", "\\.")}'`));

    sim.step(800);
    const incremental = await ssmd([
      "market",
      "sync",
      "kalshi-sim",
      "--rest-url",
      sim.restUrl,
      "--incremental",
      "--no-events",
      "--json",
    ]);
    assert.equal(incremental.code, 0, incremental.stderr);
    const summary = json<Summary>(incremental.stdout);
    assert.equal(summary.kind, "incremental");
    assert.ok(summary.markets.closed > 0, incremental.stdout);
    const closed = (
      await jsonOf<{ markets: View[] }>([
        "secmaster",
        "list",
        "kalshi-sim",
        "--status",
        "determined,finalized",
        "--json",
      ])
    ).markets[0];
    assert.ok(closed);
    const past = await jsonOf<View>([
      "market",
      "show",
      "kalshi-sim",
      String(closed.ticker),
      "--as-of",
      syncedAt,
      "--json",
    ]);
    assert.equal(past.status, "active");
    const shown = await ssmd(["secmaster", "show", "kalshi-sim", String(closed.ticker), "--history"]);
    assert.match(shown.stdout, /status: active → determined/);

    const stats = await jsonOf<{ markets: number; marketsByStatus: Record<string, number> }>([
      "secmaster",
      "stats",
      "kalshi-sim",
      "--json",
    ]);
    assert.ok(stats.markets > 16);
    assert.ok((stats.marketsByStatus.determined ?? 0) + (stats.marketsByStatus.finalized ?? 0) > 0);
    const event = await jsonOf<{ markets: View[] }>([
      "secmaster",
      "events",
      "kalshi-sim",
      String(closed.event_ticker),
      "--json",
    ]);
    assert.ok(event.markets.some((m) => m.ticker === closed.ticker));
    const series = await jsonOf<{ series: View[] }>([
      "secmaster",
      "series",
      "kalshi-sim",
      "--category",
      "Crypto",
      "--json",
    ]);
    assert.ok(series.series.length > 0 && series.series.every((s) => s.category === "Crypto"));

    const today = new Date().toISOString().slice(0, 10);
    const snapshot = await ssmd([
      "secmaster",
      "snapshot",
      "kalshi-sim",
      "--output",
      join(dir.path, "archive"),
      "--json",
    ]);
    assert.equal(snapshot.code, 0, snapshot.stderr);
    const file = join(dir.path, "archive", "kalshi-sim", today, "markets.jsonl.gz");
    const lines = gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n");
    assert.equal(lines.length, json<{ markets: number }>(snapshot.stdout).markets);

    sim.step(300);
    const dry = await ssmd([
      "secmaster",
      "sync",
      "kalshi-sim",
      "--rest-url",
      sim.restUrl,
      "--dry-run",
      "--json",
    ]);
    assert.equal(json<Summary>(dry.stdout).dryRun, true);
    const after = await jsonOf<{ markets: number }>(["secmaster", "stats", "kalshi-sim", "--json"]);
    assert.equal(after.markets, stats.markets, "dry run wrote nothing");
  });

  test("an unreachable database is one clear error, exit code 3", async () => {
    const result = await runSsmd([
      "secmaster",
      "list",
      "kalshi-sim",
      "--dir",
      exchanges,
      "--db",
      "postgres://ssmd:pw@127.0.0.1:1/none",
    ]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /secmaster database unreachable at postgres:\/\/ssmd@127\.0\.0\.1:1\/none/);
    assert.doesNotMatch(result.stderr, /pw@|\n\s+at /);
  });

  test("an unknown environment suggests the closest one", async () => {
    const result = await runSsmd(["secmaster", "stats", "kalshi-sm", "--dir", exchanges]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Did you mean 'kalshi-sim'/);
  });

  test("the environment's embedded PGlite database is used by default", async () => {
    const result = await runSsmd(
      [
        "secmaster",
        "sync",
        "kalshi-sim",
        "--dir",
        exchanges,
        "--rest-url",
        sim.restUrl,
        "--no-events",
        "--series",
        "KXBTCD",
        "--json",
      ],
      { cwd: dir.path, timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.ok(json<Summary>(result.stdout).markets.added > 0);
    assert.ok(
      existsSync(join(dir.path, "data", "secmaster")),
      "pglite:./data/secmaster relative to the working directory",
    );
  });

  test("watch applies lifecycle messages from JetStream, serves probes, drains on SIGTERM", async () => {
    const nats = await startNatsServer();
    const bus = await connectNatsBus({ url: nats.url, name: "secmaster-e2e", logger: silentLogger });
    const envFile = join(dir.path, "watch-env.yaml");
    const template = readFileSync(join(exchanges, "environments", "kalshi-sim.yaml"), "utf8");
    writeFileSync(
      envFile,
      template.replace("nats://127.0.0.1:4222", nats.url).replace("name: kalshi-sim", "name: watch-env"),
    );
    const port = await freePort();
    const child = spawnSsmd(
      [
        "secmaster",
        "watch",
        envFile,
        "--dir",
        exchanges,
        "--db",
        database.url,
        "--health-addr",
        `127.0.0.1:${port}`,
      ],
      { cwd: dir.path },
    );
    let stdout = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    const exited = once(child, "exit");
    try {
      const ticker = String(
        (await jsonOf<{ markets: View[] }>(["secmaster", "list", "kalshi-sim", "--status", "open", "--json"]))
          .markets[0]?.ticker,
      );
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status === 200,
      );
      const frame = {
        type: "market_lifecycle_v2",
        sid: 7,
        msg: { market_ticker: ticker, event_type: "deactivated", is_deactivated: true },
      };
      await bus.publish(
        `sim.kalshi.json.lifecycle.${ticker.replaceAll(".", "_")}`,
        new TextEncoder().encode(JSON.stringify(frame)),
      );
      await waitFor(async () => {
        const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
          applied?: number;
        };
        return (health.applied ?? 0) >= 1;
      });
      const shown = await jsonOf<View>(["secmaster", "show", "kalshi-sim", ticker, "--json"]);
      assert.equal(shown.status, "inactive");
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(
        metrics,
        /ssmd_secmaster_lifecycle_messages_total\{event_type="deactivated",result="applied"\} 1/,
      );
      child.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0);
      assert.ok(
        stdout.split("\n").some((line) => line.includes('"msg":"shutting down"')),
        stdout,
      );
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await bus.close();
      await nats.cleanup();
    }
  });

  test("ssmd data serve --secmaster serves /v1/markets from the same database", async () => {
    const port = await freePort();
    const child = spawnSsmd(
      [
        "data",
        "serve",
        "--secmaster",
        database.url,
        "--port",
        String(port),
        "--host",
        "127.0.0.1",
        "--path",
        dir.path,
      ],
      {
        cwd: dir.path,
        env: { SSMD_API_KEY: "e2e-key" },
      },
    );
    const exited = once(child, "exit");
    try {
      const headers = { "x-api-key": "e2e-key" };
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok);
      const reply = await fetch(`http://127.0.0.1:${port}/v1/markets?series=KXBTCD&limit=2`, { headers });
      assert.equal(reply.status, 200);
      const body = (await reply.json()) as { markets: View[]; cursor: string | null };
      assert.equal(body.markets.length, 2);
      assert.ok(
        body.markets.every((m) => m.series_ticker === "KXBTCD" && /^\d+\.\d{4}$/.test(String(m.yes_bid))),
      );
      const missing = await fetch(`http://127.0.0.1:${port}/v1/markets/NOPE-1`, { headers });
      assert.equal(missing.status, 404);
      child.kill("SIGTERM");
      assert.equal((await exited)[0], 0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out waiting");
}
