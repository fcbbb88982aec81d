/**
 * The archiver over the in-process bus and a local directory: lines, counts, hashes, manifest,
 * rotation across an interval and across UTC midnight (injected clock), duplicates, gap records,
 * stream gaps, a malformed frame, and restart without duplicates.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createArchiver } from "../../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS, type ArchiverConfig } from "../../src/components/archiver/config.js";
import { publishTrades, readManifest, readSealedLines } from "../helpers/archiver-files.js";
import { tempDir } from "../helpers/tmp.js";

const PREFIX = "test.kalshi";
const MIDNIGHT_US = Date.parse("2026-11-22T00:00:00Z") * 1000;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  dir = await tempDir("ssmd-archiver-mem-");
});
after(async () => {
  await dir.cleanup();
});

function configFor(workDir: string, stream: string): ArchiverConfig {
  return {
    ...ARCHIVER_DEFAULTS,
    feed: "kalshi",
    stream,
    consumer: "archiver",
    filterSubjects: [`${PREFIX}.>`],
    subjectPrefix: PREFIX,
    workDir,
    rotationMs: 15 * 60_000,
    fsyncIntervalMs: 50,
    fsyncMessages: 100,
    bucketLabel: "local",
  };
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function setup(name: string, duplicateWindowMs?: number) {
  const bus: Bus = createMemoryBus();
  await bus.ensureStream({ name, subjects: [`${PREFIX}.>`], duplicateWindowMs });
  const root = join(dir.path, name);
  return { bus, root, config: configFor(root, name) };
}

test("archives across an interval and across midnight, with a matching manifest", async () => {
  const { bus, root, config } = await setup("ROTATE");
  let now = MIDNIGHT_US / 1000 - 20 * 60_000;
  const archiver = createArchiver(config, {
    bus,
    store: createLocalStore(root),
    logger: silentLogger,
    clock: () => now,
  });
  await archiver.start();
  // 23:40 .. 00:20 in 1-minute steps: windows 2330, 2345, 0000, 0015
  const rt = (i: number) => MIDNIGHT_US - 20 * 60_000_000 + i * 60_000_000;
  const ids = await publishTrades(bus, PREFIX, 0, 41, rt);
  await waitFor(() => archiver.stats().messages === 41);
  now = MIDNIGHT_US / 1000 + 60 * 60_000; // an hour later: the 0015 window ended
  await waitFor(() => archiver.stats().filesSealed === 4);
  await archiver.stop();

  const lines = await readSealedLines(root, "kalshi");
  assert.deepEqual(
    lines.map((line) => (line.msg as { msg: { trade_id: string } }).msg.trade_id),
    ids,
  );
  assert.deepEqual(
    [...new Set(lines.map((line) => line.file))],
    [
      "2026-11-21/2330.jsonl.gz",
      "2026-11-21/2345.jsonl.gz",
      "2026-11-22/0000.jsonl.gz",
      "2026-11-22/0015.jsonl.gz",
    ],
  );
  assert.ok(lines.every((line, i) => line.seq === i + 1 && line.rt === rt(i)));
  const before = await readManifest(root, "kalshi", "2026-11-21");
  assert.equal(before.status, "partial"); // closed at midnight, but only 30 minutes covered
  const day = await readManifest(root, "kalshi", "2026-11-22");
  assert.equal(day.status, "open");
  const files = day.files as Array<Record<string, unknown>>;
  assert.equal(files.length, 2);
  assert.equal(day.records, 21);
  for (const file of files) {
    const bytes = await readFile(join(root, "kalshi", "2026-11-22", String(file.name)));
    assert.equal(file.sha256, createHash("sha256").update(bytes).digest("hex"));
    assert.equal(file.bytes_compressed, bytes.length);
  }
  assert.deepEqual(files[0]?.records_by_channel, { trade: 15 });
  assert.deepEqual(day.tickers, ["KXBTCD-26NOV21-T67749_99"]);
  await bus.close();
});

test("drops duplicates, keeps malformed frames as strings, carries gap records", async () => {
  const { bus, root, config } = await setup("DUPES", 100);
  const archiver = createArchiver(config, { bus, store: createLocalStore(root), logger: silentLogger });
  await archiver.start();
  const base = Date.parse("2026-11-21T10:00:00Z") * 1000;
  await publishTrades(bus, PREFIX, 0, 5, (i) => base + i);
  // same Nats-Msg-Id outside JetStream's duplicate window: the stream stores it, the archiver drops it
  await new Promise((resolve) => setTimeout(resolve, 150));
  await bus.publish(`${PREFIX}.json.trade.X`, new TextEncoder().encode('{"type":"trade"}'), {
    msgId: "t-3",
    headers: { "Ssmd-Recv-Us": String(base + 10) },
  });
  await bus.publish(`${PREFIX}.json.trade.X`, new TextEncoder().encode('{"type":"trade",'), {
    headers: { "Ssmd-Recv-Us": String(base + 11) },
  });
  const gap = {
    type: "ssmd_gap",
    reason: "seq_gap",
    sid: 2,
    from_seq: 5,
    to_seq: 9,
    tickers: ["X"],
    started_at: "2026-11-21T10:00:00.000Z",
    ended_at: null,
  };
  await bus.publish(`${PREFIX}.status.gap`, new TextEncoder().encode(JSON.stringify(gap)), {
    headers: { "Ssmd-Recv-Us": String(base + 12) },
  });
  await waitFor(() => archiver.stats().messages + archiver.stats().duplicates === 8);
  await archiver.stop();
  const lines = await readSealedLines(root, "kalshi");
  assert.equal(lines.length, 7);
  assert.equal(lines[5]?.msg, '{"type":"trade",');
  const manifest = await readManifest(root, "kalshi", "2026-11-21");
  assert.equal(manifest.duplicates_dropped, 1);
  assert.equal(manifest.parse_errors, 1);
  assert.deepEqual(
    (manifest.gaps as Array<{ reason: string }>).map((g) => g.reason),
    ["seq_gap"],
  );
  assert.equal(archiver.stats().duplicates, 1);
  await bus.close();
});

test("a filter that matches none of the stream's subjects is refused at start", async () => {
  const { bus, root, config } = await setup("BADFILTER");
  const archiver = createArchiver(
    { ...config, filterSubjects: ["prod.kalshi.>"] },
    { bus, store: createLocalStore(root), logger: silentLogger },
  );
  await assert.rejects(archiver.start(), (error: Error & { code?: string; details?: string[] }) => {
    assert.equal(error.code, "CONFIG");
    assert.match(error.message, /'prod\.kalshi\.>' matches none of stream 'BADFILTER' subjects/);
    assert.deepEqual(error.details?.[0], "stream subjects: test.kalshi.>");
    return true;
  });
  await bus.close();
});

test("a day left open by a stopped run is closed when a later run writes the next day", async () => {
  const { bus, root, config } = await setup("REOPEN");
  const first = createArchiver(config, { bus, store: createLocalStore(root), logger: silentLogger });
  await first.start();
  await publishTrades(bus, PREFIX, 0, 3, (i) => MIDNIGHT_US - 60_000_000 + i);
  await waitFor(() => first.stats().messages === 3);
  await first.stop();
  assert.equal((await readManifest(root, "kalshi", "2026-11-21")).status, "open");
  const second = createArchiver(config, { bus, store: createLocalStore(root), logger: silentLogger });
  await second.start();
  await publishTrades(bus, PREFIX, 3, 3, (i) => MIDNIGHT_US + i);
  await waitFor(() => second.stats().messages === 3);
  await second.stop();
  assert.equal((await readManifest(root, "kalshi", "2026-11-21")).status, "partial");
  assert.equal((await readManifest(root, "kalshi", "2026-11-22")).status, "open");
  assert.equal((await readSealedLines(root, "kalshi")).length, 6);
  await bus.close();
});
