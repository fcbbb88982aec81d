/**
 * The archiver and its stream's lifecycle on a real nats-server: a stream deleted and recreated
 * (seqs restart at 1) is archived in a new ledger epoch instead of being dropped as
 * "redeliveries" — across a restart and while running; an archiver started before the stream
 * exists waits (not ready, says why) and archives once it appears; stop() during the wait is clean.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { connect, type NatsConnection } from "nats";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { type Archiver, createArchiver } from "../../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS, type ArchiverConfig } from "../../src/components/archiver/config.js";
import { publishTrades, readManifest, readSealedLines } from "../helpers/archiver-files.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";

const FAST_WAIT = { firstDelayMs: 20, maxDelayMs: 100, warnEveryMs: 10_000 };
const BASE_US = Date.parse("2026-11-21T09:00:00Z") * 1000;
let nats: TestNatsServer;
let bus: Bus;
let raw: NatsConnection;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  nats = await startNatsServer();
  bus = await connectNatsBus({ url: nats.url, name: "archiver-epoch-test", logger: silentLogger });
  raw = await connect({ servers: nats.url });
  dir = await tempDir("ssmd-archiver-epoch-");
});
after(async () => {
  await raw.close();
  await bus.close();
  await nats.cleanup();
  await dir.cleanup();
});

function configFor(name: string): ArchiverConfig {
  const prefix = `${name.toLowerCase()}.kalshi`;
  return {
    ...ARCHIVER_DEFAULTS,
    feed: "kalshi",
    stream: name,
    consumer: "archiver",
    filterSubjects: [`${prefix}.>`],
    subjectPrefix: prefix,
    workDir: join(dir.path, name),
    rotationMs: 15 * 60_000,
    fsyncIntervalMs: 50,
    bucketLabel: "local",
    streamCheckMs: 100,
  };
}

function archiverFor(config: ArchiverConfig): Archiver {
  const store = createLocalStore(config.workDir);
  return createArchiver(config, { bus, store, logger: silentLogger, streamWait: FAST_WAIT });
}

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function recreateStream(config: ArchiverConfig): Promise<void> {
  const jsm = await raw.jetstreamManager();
  await jsm.streams.delete(config.stream);
  await new Promise((resolve) => setTimeout(resolve, 20)); // a distinct creation time
  await bus.ensureStream({ name: config.stream, subjects: [`${config.subjectPrefix}.>`] });
}

const publish = (config: ArchiverConfig, from: number, count: number) =>
  publishTrades(bus, config.subjectPrefix, from, count, (i) => BASE_US + i * 1000);

test("a stream recreated while the archiver was down is archived in a new ledger epoch", async () => {
  const config = configFor("EPOCHDOWN");
  await bus.ensureStream({ name: config.stream, subjects: [`${config.subjectPrefix}.>`] });
  await publish(config, 0, 20);
  const first = archiverFor(config);
  await first.start();
  await until("20 archived", () => first.stats().messages === 20);
  await first.stop();
  await recreateStream(config);
  await publish(config, 20, 15); // seqs 1..15 again
  const second = archiverFor(config);
  await second.start();
  await until("15 archived after the recreate", () => second.stats().messages === 15);
  assert.equal(second.stats().ledgerEpoch, 1);
  assert.equal(second.stats().redeliveries, 0);
  await second.stop();

  const lines = await readSealedLines(config.workDir, "kalshi");
  const ids = lines.map((line) => (line.msg as { msg: { trade_id: string } }).msg.trade_id);
  assert.deepEqual(
    ids,
    Array.from({ length: 35 }, (_, i) => `t-${i}`),
  );
  const manifest = await readManifest(config.workDir, "kalshi", "2026-11-21");
  type Listed = { name: string; first_seq: number; last_seq: number; stream_epoch?: number };
  const files = (manifest.files as Listed[]).sort((a, b) => (a.name < b.name ? -1 : 1));
  assert.deepEqual(
    files.map((file) => [file.name, file.first_seq, file.last_seq, file.stream_epoch]),
    [
      ["0900.jsonl.gz", 1, 20, undefined],
      ["0900_1.jsonl.gz", 1, 15, 1],
    ],
  );
  assert.match(
    await second.metrics.registry.metrics(),
    /ssmd_archiver_stream_epochs_total\{feed="kalshi"\} 1/,
  );
});

test("a stream deleted and recreated while the archiver runs: nothing published after is dropped", async () => {
  const config = configFor("EPOCHLIVE");
  await bus.ensureStream({ name: config.stream, subjects: [`${config.subjectPrefix}.>`] });
  const archiver = archiverFor(config);
  await archiver.start();
  await publish(config, 0, 30);
  await until("30 archived", () => archiver.stats().messages === 30);
  await recreateStream(config);
  await publish(config, 30, 25);
  await until("25 more archived", () => archiver.stats().messages === 55);
  assert.equal(archiver.stats().ledgerEpoch, 1);
  await until("ready again", () => archiver.ready());
  await archiver.stop();
  const lines = await readSealedLines(config.workDir, "kalshi");
  assert.equal(lines.length, 55);
  assert.deepEqual(
    lines.map((line) => line.seq),
    [...Array.from({ length: 30 }, (_, i) => i + 1), ...Array.from({ length: 25 }, (_, i) => i + 1)],
  );
});

test("started before the stream exists: waits (not ready, says why), then archives", async () => {
  const config = configFor("LATECOMER");
  const archiver = archiverFor(config);
  await archiver.start();
  assert.equal(archiver.ready(), false);
  assert.match(archiver.waitingReason() ?? "", /stream 'LATECOMER' does not exist yet/);
  assert.match(archiver.stats().waiting ?? "", /does not exist/);
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(archiver.failure(), undefined);
  await bus.ensureStream({ name: config.stream, subjects: [`${config.subjectPrefix}.>`] });
  await publish(config, 0, 12);
  await until("12 archived", () => archiver.stats().messages === 12);
  assert.equal(archiver.ready(), true);
  assert.equal(archiver.waitingReason(), undefined);
  await archiver.stop();
  assert.equal((await readSealedLines(config.workDir, "kalshi")).length, 12);
});

test("stop() during the wait for the stream returns promptly and cleanly", async () => {
  const archiver = archiverFor(configFor("NEVERCOMES"));
  await archiver.start();
  const started = Date.now();
  await archiver.stop();
  assert.ok(Date.now() - started < 2000);
  assert.equal(archiver.failure(), undefined);
});

test("a stream that appears with subjects the filter does not match is a config failure", async () => {
  const config = configFor("WRONGSUBJECTS");
  const archiver = archiverFor(config);
  await archiver.start();
  await bus.ensureStream({ name: config.stream, subjects: ["elsewhere.>"] });
  await until("failure", () => archiver.failure() !== undefined);
  assert.match(archiver.failure()?.message ?? "", /matches none of stream 'WRONGSUBJECTS' subjects/);
  await archiver.stop();
});
