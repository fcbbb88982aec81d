/**
 * Crash salvage on real files: a `.tmp` cut at arbitrary byte offsets (as `kill -9` leaves it
 * after a sync) yields exactly the complete lines that were synced, never a partial line; the
 * sealed result passes gunzip; an already-sealed name is never overwritten; the seq ledger and
 * per-day dedupe survive a reload.
 */
import assert from "node:assert/strict";
import { mkdir, readdir, readFile, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { DayDedupe } from "../../src/components/archiver/dedupe.js";
import { ArchiveFileWriter } from "../../src/components/archiver/file-writer.js";
import { gunzipTolerant, salvageDirectory, scanSealedFile } from "../../src/components/archiver/salvage.js";
import { SeqLedger } from "../../src/components/archiver/seq-ledger.js";
import { encodeArchiveLine } from "../../src/core/archive-line.js";
import { tradeFrame } from "../helpers/archiver-files.js";
import { tempDir } from "../helpers/tmp.js";

let dir: { path: string; cleanup: () => Promise<void> };
before(async () => {
  dir = await tempDir("ssmd-salvage-");
});
after(async () => {
  await dir.cleanup();
});

function line(i: number): string {
  return encodeArchiveLine(1_763_700_000_000_000 + i, i + 1, "p.kalshi.json.trade.KX", tradeFrame(i));
}

test("a synced .tmp cut anywhere after its last sync keeps every synced line and no partial one", async () => {
  for (const [index, extra] of [0, 1, 7, 100, 5000].entries()) {
    const day = join(dir.path, `cut-${index}`);
    await mkdir(day, { recursive: true });
    const writer = await ArchiveFileWriter.create(day, "1415.jsonl.gz", 6);
    for (let i = 0; i < 300; i++) writer.append(line(i));
    await writer.sync(); // 300 lines durable
    for (let i = 300; i < 400; i++) writer.append(line(i));
    await writer.sync(); // 400 lines durable
    const tmp = join(day, "1415.jsonl.gz.tmp");
    const synced = (await readFile(tmp)).length;
    for (let i = 400; i < 500; i++) writer.append(line(i));
    await writer.sync();
    await writer.abandon();
    // the crash: bytes after the second sync only partly reached the file
    await truncate(tmp, Math.min(synced + extra, (await readFile(tmp)).length));
    assert.deepEqual(await salvageDirectory(day, 6), ["1415.jsonl.gz"]);
    const text = gunzipSync(await readFile(join(day, "1415.jsonl.gz"))).toString();
    const lines = text.split("\n").filter(Boolean);
    assert.ok(lines.length >= 400 && lines.length <= 500, `${lines.length} lines`);
    for (const [i, value] of lines.entries()) assert.equal(`${value}\n`, line(i));
    assert.deepEqual(await readdir(day), ["1415.jsonl.gz"]);
    const scanned = await scanSealedFile(day, "1415.jsonl.gz", "2025-11-21", 900_000);
    assert.equal(scanned.file.records, lines.length);
    assert.deepEqual(
      scanned.seqs,
      Array.from({ length: lines.length }, (_, i) => i + 1),
    );
  }
});

test("a .tmp whose sealed twin exists was already salvaged: removed, the sealed file untouched", async () => {
  const day = join(dir.path, "twin");
  await mkdir(day, { recursive: true });
  await writeFile(join(day, "0000.jsonl.gz"), "sealed");
  await writeFile(join(day, "0000.jsonl.gz.tmp"), "garbage");
  assert.deepEqual(await salvageDirectory(day, 6), []);
  assert.equal(await readFile(join(day, "0000.jsonl.gz"), "utf8"), "sealed");
  assert.deepEqual(await readdir(day), ["0000.jsonl.gz"]);
  assert.equal((await gunzipTolerant(Buffer.from("not gzip"))).length, 0);
});

test("the seq ledger and the day dedupe survive a reload", async () => {
  const state = join(dir.path, "state");
  const ledger = new SeqLedger(state);
  await ledger.load();
  for (const seq of [1, 2, 3, 7, 8, 5]) ledger.add(seq);
  await ledger.persist();
  ledger.add(9); // not persisted: lost on reload, like a crash before the flush
  const again = new SeqLedger(state);
  await again.load();
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((seq) => again.has(seq)),
    [true, true, true, false, true, false, true, true, false],
  );
  assert.equal(again.highest, 8);
  const dedupe = new DayDedupe(state, 3);
  await dedupe.load("2026-11-21");
  assert.equal(dedupe.seen("2026-11-21", "a"), false);
  assert.equal(dedupe.seen("2026-11-21", "a"), true);
  await dedupe.persist("2026-11-21", ["a", "b"]);
  const reloaded = new DayDedupe(state, 3);
  await reloaded.load("2026-11-21");
  assert.equal(reloaded.seen("2026-11-21", "b"), true);
  for (const id of ["c", "d", "e"]) reloaded.seen("2026-11-21", id);
  assert.equal(reloaded.evicted, 2); // bounded: the oldest ids were forgotten
  assert.equal(reloaded.seen("2026-11-21", "a"), false);
});
