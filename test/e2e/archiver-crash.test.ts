/**
 * Crash safety through the real CLI binary and a real nats-server: while a publisher keeps
 * publishing, `ssmd archiver` is killed with SIGKILL at random moments (≥ 20 cycles), then run
 * once more to the end. Every published message must be in the sealed files exactly once, no
 * `.tmp` may remain, and every file must pass `zcat | jq`.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { listTmpFiles, readManifest, readSealedLines, tradeFrame } from "../helpers/archiver-files.js";
import { spawnSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { freePort } from "../helpers/ports.js";
import { tempDir } from "../helpers/tmp.js";

const PREFIX = "crash.kalshi";
const STREAM = "CRASH_KALSHI";
const CYCLES = 20;

let nats: TestNatsServer;
let bus: Bus;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  nats = await startNatsServer();
  bus = await connectNatsBus({ url: nats.url, name: "crash-test", logger: silentLogger });
  await bus.ensureStream({ name: STREAM, subjects: [`${PREFIX}.>`] });
  dir = await tempDir("ssmd-archiver-crash-");
});

after(async () => {
  await bus.close();
  await nats.cleanup();
  await dir.cleanup();
});

function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

/** Resolves when the archiver logs that it consumes (or after 10 s). */
function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let seen = "";
    const timer = setTimeout(resolve, 10_000);
    child.stdout?.on("data", (chunk) => {
      seen += chunk;
      if (seen.includes('"archiver started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

async function health(port: number): Promise<Record<string, unknown> | undefined> {
  try {
    const reply = await fetch(`http://127.0.0.1:${port}/health`);
    return (await reply.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

test(`kill -9 at random moments (${CYCLES} cycles): nothing lost, nothing duplicated`, {
  timeout: 120_000,
}, async () => {
  const root = join(dir.path, "archive");
  const configPath = join(dir.path, "archiver.yaml");
  await writeFile(
    configPath,
    [
      `nats: { url: "${nats.url}", stream: ${STREAM}, consumer: crash-archiver, filter: "${PREFIX}.>", ack_wait_ms: 2000 }`,
      `storage: { path: "${root}" }`,
      "rotation: { interval: 1m }",
      "fsync: { interval_ms: 100, messages: 200 }",
      "feed: kalshi",
    ].join("\n"),
  );
  let published = 0;
  let publishing = true;
  const encoder = new TextEncoder();
  const publisher = (async () => {
    while (publishing) {
      const batch = Array.from({ length: 25 }, (_, k) => published + k);
      await Promise.all(
        batch.map((i) =>
          bus.publish(`${PREFIX}.json.trade.KX-${i % 7}`, encoder.encode(tradeFrame(i)), {
            msgId: `m-${i}`,
            headers: { "Ssmd-Recv-Us": String(Date.now() * 1000) },
          }),
        ),
      );
      published += batch.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();

  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const port = await freePort();
    const child = spawnSsmd(["archiver", "--config", configPath, "--health-addr", `127.0.0.1:${port}`]);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // most kills land while consuming; every fourth lands at a random point of start-up/recovery
    if (cycle % 4 !== 3) await started(child);
    await new Promise((resolve) => setTimeout(resolve, randomBetween(20, 700)));
    child.kill("SIGKILL");
    await exited;
  }
  publishing = false;
  await publisher;

  const port = await freePort();
  const child = spawnSsmd(["archiver", "--config", configPath, "--health-addr", `127.0.0.1:${port}`]);
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = await health(port);
    if (body && body.highestSeq === published && body.lag === 0) break;
    assert.ok(Date.now() < deadline, `archiver did not catch up: ${JSON.stringify(body)} ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // messages a killed instance held unacked come back after ack_wait
  await new Promise((resolve) => setTimeout(resolve, 3500));
  child.kill("SIGTERM");
  assert.equal(await exited, 0, stderr);

  const lines = await readSealedLines(root, "kalshi");
  const seqs = lines.map((line) => line.seq).sort((a, b) => a - b);
  assert.equal(new Set(seqs).size, seqs.length, "duplicate stream sequences in the archive");
  assert.equal(seqs.length, published, "messages missing from the archive");
  assert.equal(seqs[seqs.length - 1], published);
  assert.deepEqual(await listTmpFiles(root, "kalshi"), []);
  let salvaged = 0;
  for (const date of await readdir(join(root, "kalshi"))) {
    const manifest = await readManifest(root, "kalshi", date);
    salvaged += (manifest.files as Array<{ salvaged?: boolean }>).filter((file) => file.salvaged).length;
    assert.equal(manifest.records, lines.filter((line) => line.file.startsWith(date)).length);
    for (const name of await readdir(join(root, "kalshi", date))) {
      if (!name.endsWith(".jsonl.gz")) continue;
      const path = join(root, "kalshi", date, name);
      execFileSync("sh", ["-c", `zcat "${path}" | jq -c . > /dev/null`]);
    }
  }
  assert.ok(salvaged > 0, "no kill hit an open file: the test did not exercise salvage");
});
