/**
 * `ssmd archiver` through the real CLI binary and a real nats-server: --help, refused configs,
 * --config and --env runs with /health and /metrics, SIGTERM → sealed files + manifest, exit 0.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { publishTrades, readManifest, readSealedLines } from "../helpers/archiver-files.js";
import { captureOutput, runSsmd, spawnSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

let nats: TestNatsServer;
let bus: Bus;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  nats = await startNatsServer();
  bus = await connectNatsBus({ url: nats.url, name: "archiver-cli-test", logger: silentLogger });
  await bus.ensureStream({ name: "CLI_KALSHI", subjects: ["cli.kalshi.>"] });
  dir = await tempDir("ssmd-archiver-cli-");
});
after(async () => {
  await bus.close();
  await nats.cleanup();
  await dir.cleanup();
});

test("--help shows an example", async () => {
  const result = await runSsmd(["archiver", "--help"]);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /Example[\s\S]*ssmd archiver --config archiver\.yaml/);
});

test("refuses a filter that matches none of the stream's subjects, and a bad config", async () => {
  const path = join(dir.path, "bad-filter.yaml");
  await writeFile(
    path,
    `nats: { url: "${nats.url}", stream: CLI_KALSHI, filter: "prod.kalshi.>" }\nstorage: { path: "${dir.path}/x" }\n`,
  );
  const refused = await runSsmd(["archiver", "--config", path, "--health-addr", "127.0.0.1:0"]);
  assert.equal(refused.code, 5, refused.stderr);
  assert.match(
    refused.stderr,
    /consumer filter 'prod\.kalshi\.>' matches none of stream 'CLI_KALSHI' subjects/,
  );
  assert.match(refused.stderr, /stream subjects: cli\.kalshi\.>/);
  const invalid = join(dir.path, "invalid.yaml");
  await writeFile(invalid, "nats: { stream: X }\nstorage: { path: ./x }\nrotation: { interval: 2 weeks }\n");
  const bad = await runSsmd(["archiver", "--config", invalid]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid archiver config/);
  assert.match(bad.stderr, /nats\.url/);
  const badListen = join(dir.path, "bad-listen.yaml");
  await writeFile(
    badListen,
    `nats: { url: "${nats.url}", stream: CLI_KALSHI, filter: "cli.kalshi.>" }\nstorage: { path: "${dir.path}/x" }\nlisten: "host:port"\n`,
  );
  const listen = await runSsmd(["archiver", "--config", badListen]);
  assert.equal(listen.code, 1);
  assert.match(listen.stderr, /invalid listen 'host:port'/);
  const flag = await runSsmd(["archiver", "--config", badListen, "--health-addr", "127.0.0.1:99999"]);
  assert.equal(flag.code, 1);
  assert.match(flag.stderr, /invalid --health-addr '127\.0\.0\.1:99999'/);
  const neither = await runSsmd(["archiver"]);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /missing --config or --env/);
});

async function waitForMetrics(port: number, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`)
      .then((reply) => reply.text())
      .catch(() => "");
    if (pattern.test(text)) return text;
    assert.ok(Date.now() < deadline, `metrics never matched ${pattern}: ${text.slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function runToSigterm(args: string[], count: number): Promise<{ stdout: string }> {
  const port = await freePort();
  const child = spawnSsmd([...args, "--health-addr", `127.0.0.1:${port}`]);
  const output = captureOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const metrics = await waitForMetrics(
    port,
    new RegExp(`ssmd_archiver_messages_archived_total\\{feed="kalshi",channel="trade"\\} ${count}\\b`),
  );
  assert.match(metrics, /ssmd_archiver_consumer_lag_messages\{feed="kalshi"\} 0/);
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
  assert.equal(health.ok, true);
  assert.equal((await fetch(`http://127.0.0.1:${port}/ready`)).status, 200);
  child.kill("SIGTERM");
  assert.equal(await exited, 0, output.stderr);
  return { stdout: output.stdout };
}

test("--config: archives, serves probes, and SIGTERM seals + writes the manifest", async () => {
  const root = join(dir.path, "archive");
  const config = join(dir.path, "archiver.yaml");
  await writeFile(
    config,
    `nats: { url: "${nats.url}", stream: CLI_KALSHI, consumer: cli, filter: "cli.kalshi.>" }\nstorage: { path: "${root}" }\nrotation: { interval: 15m }\n`,
  );
  const base = Date.parse("2026-11-21T16:00:00Z") * 1000;
  await publishTrades(bus, "cli.kalshi", 0, 120, (i) => base + i * 1000);
  const { stdout } = await runToSigterm(["archiver", "--config", config], 120);
  const logs = stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { component: string; msg: string });
  assert.ok(logs.every((log) => log.component === "archiver"));
  assert.ok(logs.some((log) => log.msg === "file sealed"));
  const lines = await readSealedLines(root, "kalshi");
  assert.deepEqual(
    lines.map((line) => line.seq),
    Array.from({ length: 120 }, (_, i) => i + 1),
  );
  const manifest = await readManifest(root, "kalshi", "2026-11-21");
  assert.equal(manifest.records, 120);
  for (const name of await readdir(join(root, "kalshi", "2026-11-21"))) {
    if (name.endsWith(".jsonl.gz"))
      execFileSync("sh", [
        "-c",
        `zcat "${join(root, "kalshi", "2026-11-21", name)}" | jq -e .rt > /dev/null`,
      ]);
  }
});

test("--env E --output DIR: stream, subjects and feed from the environment", async () => {
  const envPath = join(dir.path, "cli-env.yaml");
  await writeFile(
    envPath,
    [
      "name: cli-env",
      "feed: kalshi",
      "schema: trade:v1",
      'keys: { kalshi: { type: api_key, required: false, fields: [api_key, private_key], source: "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY" } }',
      "subscription: { channels: [trade], categories: [], series: [], max_markets_per_connection: 200 }",
      `transport: { type: nats, url: "${nats.url}", stream: ENV_KALSHI, subject_prefix: env.kalshi }`,
      "storage: { type: local, path: ./unused }",
    ].join("\n"),
  );
  await bus.ensureStream({ name: "ENV_KALSHI", subjects: ["env.kalshi.>"] });
  await publishTrades(bus, "env.kalshi", 0, 30, (i) => Date.parse("2026-11-21T17:00:00Z") * 1000 + i);
  const output = join(dir.path, "env-out");
  await runToSigterm(["archiver", "--env", envPath, "--output", output], 30);
  assert.equal((await readSealedLines(output, "kalshi")).length, 30);
});

async function waitForProbe(port: number): Promise<Response> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const reply = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
    if (reply) return reply;
    assert.ok(Date.now() < deadline, "probe server never came up");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("started before the stream exists: waits (503, /health says why), archives once it appears; SIGTERM exits 0", async () => {
  const root = join(dir.path, "late");
  const config = join(dir.path, "late.yaml");
  await writeFile(
    config,
    `nats: { url: "${nats.url}", stream: LATE_KALSHI, consumer: cli, filter: "late.kalshi.>" }\nstorage: { path: "${root}" }\n`,
  );
  const port = await freePort();
  const child = spawnSsmd(["archiver", "--config", config, "--health-addr", `127.0.0.1:${port}`]);
  const output = captureOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal((await waitForProbe(port)).status, 503);
  const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
  assert.match(String(health.waiting), /stream 'LATE_KALSHI' does not exist yet/);
  assert.match(output.stdout, /waiting for the stream/);
  await bus.ensureStream({ name: "LATE_KALSHI", subjects: ["late.kalshi.>"] });
  await publishTrades(bus, "late.kalshi", 0, 10, (i) => Date.parse("2026-11-21T18:00:00Z") * 1000 + i);
  await waitForMetrics(port, /ssmd_archiver_messages_archived_total\{feed="kalshi",channel="trade"\} 10\b/);
  assert.equal((await fetch(`http://127.0.0.1:${port}/ready`)).status, 200);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.equal((await readSealedLines(root, "kalshi")).length, 10);
});

test("SIGTERM while waiting for a stream that never comes exits 0", async () => {
  const config = join(dir.path, "never.yaml");
  await writeFile(
    config,
    `nats: { url: "${nats.url}", stream: NEVER_KALSHI, filter: "never.kalshi.>" }\nstorage: { path: "${join(dir.path, "never")}" }\n`,
  );
  const port = await freePort();
  const child = spawnSsmd(["archiver", "--config", config, "--health-addr", `127.0.0.1:${port}`]);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  assert.equal((await waitForProbe(port)).status, 503);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});
