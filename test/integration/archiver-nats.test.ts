/**
 * The archiver on a real nats-server: messages that aged out of the stream before they were
 * archived become a stream_gap record (in the archive and the manifest), while skipped messages
 * that are still in the stream are not gaps; a restart resumes without duplicates.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createArchiver } from "../../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS, type ArchiverConfig } from "../../src/components/archiver/config.js";
import { publishTrades, readManifest, readSealedLines } from "../helpers/archiver-files.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";

const PREFIX = "gap.kalshi";
let nats: TestNatsServer;
let bus: Bus;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  nats = await startNatsServer();
  bus = await connectNatsBus({ url: nats.url, name: "archiver-nats-test", logger: silentLogger });
  dir = await tempDir("ssmd-archiver-nats-");
});
after(async () => {
  await bus.close();
  await nats.cleanup();
  await dir.cleanup();
});

async function runUntil(config: ArchiverConfig, messages: number): Promise<void> {
  const archiver = createArchiver(config, {
    bus,
    store: createLocalStore(config.workDir),
    logger: silentLogger,
  });
  await archiver.start();
  const deadline = Date.now() + 15_000;
  while (archiver.stats().messages < messages) {
    assert.ok(Date.now() < deadline, `only ${archiver.stats().messages} of ${messages} archived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await archiver.stop();
}

test("aged-out messages become a stream gap; a restart resumes without duplicates", async () => {
  await bus.ensureStream({ name: "GAPS", subjects: [`${PREFIX}.>`], maxMessages: 50 });
  const config: ArchiverConfig = {
    ...ARCHIVER_DEFAULTS,
    feed: "kalshi",
    stream: "GAPS",
    consumer: "archiver",
    filterSubjects: [`${PREFIX}.>`],
    subjectPrefix: PREFIX,
    workDir: join(dir.path, "archive"),
    rotationMs: 15 * 60_000,
    fsyncIntervalMs: 50,
    bucketLabel: "local",
  };
  const base = Date.parse("2026-11-21T09:00:00Z") * 1000;
  await publishTrades(bus, PREFIX, 0, 10, (i) => base + i * 1000);
  await runUntil(config, 10);
  // archiver down: 100 more, the stream keeps the last 50 (seqs 61..110); 11..60 age out
  await publishTrades(bus, PREFIX, 10, 100, (i) => base + i * 1000);
  await runUntil(config, 50); // + 1 gap record

  const lines = await readSealedLines(config.workDir, "kalshi");
  const data = lines.filter((line) => line.seq > 0).map((line) => line.seq);
  assert.deepEqual(data, [
    ...Array.from({ length: 10 }, (_, i) => i + 1),
    ...Array.from({ length: 50 }, (_, i) => i + 61),
  ]);
  const gapLines = lines.filter((line) => line.seq === 0);
  assert.equal(gapLines.length, 1);
  assert.equal(gapLines[0]?.subject, `${PREFIX}.status.gap`);
  assert.deepEqual(
    (({ type, reason, from_seq, to_seq, lost }) => ({ type, reason, from_seq, to_seq, lost }))(
      gapLines[0]?.msg as Record<string, unknown>,
    ),
    { type: "ssmd_gap", reason: "stream_gap", from_seq: 11, to_seq: 60, lost: 50 },
  );
  const manifest = await readManifest(config.workDir, "kalshi", "2026-11-21");
  const gaps = manifest.gaps as Array<Record<string, unknown>>;
  assert.deepEqual(
    gaps.map((gap) => [gap.source, gap.from_seq, gap.to_seq]),
    [["archiver", 11, 60]],
  );
  assert.equal(manifest.records, 61);
  assert.deepEqual(
    (manifest.files as Array<{ name: string }>).map((file) => file.name),
    ["0900.jsonl.gz", "0900_1.jsonl.gz"],
  );
});
