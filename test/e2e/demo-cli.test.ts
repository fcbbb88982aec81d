/**
 * `ssmd demo` through the real CLI binary (run `npm run build` first): the whole pipeline in one
 * process on the in-process bus and on a real nats-server; checks the sealed archive files
 * (gzip JSONL, `rt` first, one line per archived message, no .tmp left) and the manifest.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";
import { checkArchive } from "./demo-archive.js";

let nats: TestNatsServer;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  nats = await startNatsServer();
});
after(async () => {
  await nats.cleanup();
  for (const cleanup of cleanups) await cleanup();
});

async function archiveDir(): Promise<string> {
  const dir = await tempDir("ssmd-demo-e2e-");
  cleanups.push(dir.cleanup);
  return dir.path;
}

test("ssmd demo --duration on the in-process bus archives sealed gzip JSONL + manifest, exit 0", async () => {
  const dir = await archiveDir();
  const result = await runSsmd(["demo", "--duration", "3", "--dir", dir, "--rate", "400", "--json"], {
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf("\n{"))) as {
    transport: string;
    archived: number;
    published: number;
    files: string[];
    stopReason: string;
  };
  assert.equal(summary.transport, "memory");
  assert.equal(summary.stopReason, "duration");
  assert.ok(summary.published > 100, `published ${summary.published}`);
  assert.equal(summary.archived, summary.published, "everything published was archived");
  const archive = await checkArchive(dir);
  assert.equal(archive.lines, summary.archived);
  assert.deepEqual(summary.files.map((key) => key.split("/").pop()).sort(), archive.files);
});

test("ssmd demo --nats runs the same pipeline on JetStream", async () => {
  const dir = await archiveDir();
  const result = await runSsmd(["demo", "--duration", "2", "--dir", dir, "--nats", nats.url, "--json"], {
    timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf("\n{"))) as {
    transport: string;
    archived: number;
  };
  assert.equal(summary.transport, "nats");
  const archive = await checkArchive(dir);
  assert.equal(archive.lines, summary.archived);
  assert.ok(archive.lines > 100);
});

test("SIGTERM drains: plain status lines while running, then a summary and exit 0", async () => {
  const dir = await archiveDir();
  const child = spawnSsmd(["demo", "--dir", dir, "--rate", "300"]);
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  const deadline = Date.now() + 30_000;
  while (!stdout.includes('"msg":"status"') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(stdout.includes('"msg":"status"'), "a status line appeared");
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.match(stdout, /ssmd demo stopped after/);
  assert.match(stdout, /archive: /);
  const archive = await checkArchive(dir);
  assert.ok(archive.lines > 0);
});

test("bad flags are refused with a clear message", async () => {
  const result = await runSsmd(["demo", "--markets", "zero", "--duration", "1"]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /--markets must be a number/);
});
