/**
 * The archiver on S3 (a real s3rver on 127.0.0.1): sealed files and manifests are uploaded and
 * verified; during an S3 outage archiving continues into the spool, and after S3 returns every
 * file arrives, byte for byte, with a manifest listing them all.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createS3Store } from "../../src/adapters/storage/s3-store.js";
import { createArchiver } from "../../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS, type ArchiverConfig } from "../../src/components/archiver/config.js";
import { publishTrades } from "../helpers/archiver-files.js";
import { startS3Server, type TestS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/tmp.js";

let s3: TestS3Server;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  s3 = await startS3Server("ssmd-archive");
  dir = await tempDir("ssmd-archiver-s3-");
});
after(async () => {
  await s3.cleanup();
  await dir.cleanup();
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("uploads sealed files and manifests; an S3 outage loses nothing", async () => {
  const bus = createMemoryBus();
  await bus.ensureStream({ name: "S3TEST", subjects: ["s3.kalshi.>"] });
  const spool = join(dir.path, "spool");
  const config: ArchiverConfig = {
    ...ARCHIVER_DEFAULTS,
    feed: "kalshi",
    stream: "S3TEST",
    consumer: "archiver",
    filterSubjects: ["s3.kalshi.>"],
    subjectPrefix: "s3.kalshi",
    workDir: spool,
    rotationMs: 60_000,
    fsyncIntervalMs: 50,
    bucketLabel: s3.bucket,
    deleteLocalAfterUpload: true,
  };
  const store = createS3Store({
    bucket: s3.bucket,
    region: "us-east-1",
    endpoint: s3.endpoint,
    prefix: "archive",
    credentials: s3.credentials,
    maxAttempts: 1,
  });
  const start = Date.parse("2026-11-21T12:00:00Z");
  let now = start;
  const archiver = createArchiver(config, { bus, store, logger: silentLogger, clock: () => now });
  await archiver.start();

  // minute 1: S3 up
  await publishTrades(bus, "s3.kalshi", 0, 100, (i) => start * 1000 + i * 1000);
  await waitFor(() => archiver.stats().messages === 100);
  now = start + 2 * 60_000 + 5000;
  await waitFor(async () => await store.exists("kalshi/2026-11-21/1200.jsonl.gz"));

  // minutes 2-3: S3 down, archiving continues into the spool
  await s3.stop();
  await publishTrades(bus, "s3.kalshi", 100, 100, (i) => (start + 2 * 60_000) * 1000 + i * 1000);
  await waitFor(() => archiver.stats().messages === 200);
  now = start + 4 * 60_000;
  await waitFor(() => archiver.stats().filesSealed === 2);
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(archiver.stats().uploadsPending > 0, "uploads should wait while S3 is down");
  const local = await readFile(join(spool, "kalshi", "2026-11-21", "1202.jsonl.gz"));

  await s3.start();
  await waitFor(() => archiver.stats().uploadsPending === 0, 20_000);
  await archiver.stop();
  await bus.close();

  assert.ok((await store.readBytes("kalshi/2026-11-21/1202.jsonl.gz")).equals(local));
  const manifest = JSON.parse((await store.readBytes("kalshi/2026-11-21/manifest.json")).toString()) as {
    files: Array<{ name: string; records: number; sha256: string }>;
    records: number;
  };
  assert.deepEqual(
    manifest.files.map((f) => [f.name, f.records]),
    [
      ["1200.jsonl.gz", 100],
      ["1202.jsonl.gz", 100],
    ],
  );
  const metrics = await archiver.metrics.registry.metrics();
  assert.match(metrics, /ssmd_archiver_upload_retries_total\{bucket="ssmd-archive"\} [1-9]/);
  assert.match(metrics, /ssmd_archiver_files_written_total\{bucket="ssmd-archive"\} 2/);
  // uploaded files were removed locally (delete_local_after_upload)
  await assert.rejects(readFile(join(spool, "kalshi", "2026-11-21", "1202.jsonl.gz")));
});
