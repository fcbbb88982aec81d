/** The seq ledger's stream identity and epochs, and how a new stream incarnation is recognized. */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { test } from "node:test";
import type { StreamInfo } from "../../src/adapters/bus/types.js";
import { SeqLedger } from "../../src/components/archiver/seq-ledger.js";
import { incarnationChange } from "../../src/components/archiver/stream-incarnation.js";
import { tempDir } from "../helpers/tmp.js";

const info = (over: Partial<StreamInfo>): StreamInfo => ({
  name: "S",
  subjects: ["s.>"],
  messages: 0,
  bytes: 0,
  firstSeq: 1,
  lastSeq: 100,
  ...over,
});

test("incarnationChange: another creation time, or a last seq below the archived one", () => {
  const ledger = { epoch: 0, createdMs: 1000 };
  assert.equal(incarnationChange(ledger, 100, info({ createdMs: 1000 })), undefined);
  assert.match(incarnationChange(ledger, 100, info({ createdMs: 2000 })) ?? "", /was recreated/);
  assert.match(incarnationChange(ledger, 150, info({ createdMs: 1000 })) ?? "", /below the archived 150/);
  // unknown creation time on either side: only the seq test applies
  assert.equal(incarnationChange({ epoch: 0, createdMs: undefined }, 100, info({ createdMs: 5 })), undefined);
  assert.match(incarnationChange(ledger, 101, info({})) ?? "", /below/);
});

test("ledger: identity survives reload; a new epoch keeps the old log aside and starts empty", async () => {
  const dir = await tempDir("ssmd-ledger-epoch-");
  try {
    const ledger = new SeqLedger(dir.path);
    await ledger.load();
    assert.deepEqual(ledger.identity, { epoch: 0, createdMs: undefined });
    ledger.add(1, 50);
    await ledger.persist();
    await ledger.adopt(1234);
    ledger.add(51, 60);
    await ledger.persist();
    const again = new SeqLedger(dir.path);
    await again.load();
    assert.deepEqual(again.identity, { epoch: 0, createdMs: 1234 });
    assert.equal(again.highest, 60);
    await again.startEpoch(5678);
    assert.equal(again.highest, 0);
    assert.equal(again.has(10), false);
    again.add(1, 3);
    await again.persist();
    const third = new SeqLedger(dir.path);
    await third.load();
    assert.deepEqual(third.identity, { epoch: 1, createdMs: 5678 });
    assert.equal(third.highest, 3);
    assert.equal(third.has(10), false);
    assert.ok((await readdir(dir.path)).includes("seqs.epoch-0.log"));
    assert.match(await readFile(join(dir.path, "seqs.epoch-0.log"), "utf8"), /1-60/);
  } finally {
    await dir.cleanup();
  }
});

test("ledger: a log written before epochs existed (no header) loads as epoch 0", async () => {
  const dir = await tempDir("ssmd-ledger-legacy-");
  try {
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir.path, "seqs.log"), "1-10\n12-20\n");
    const ledger = new SeqLedger(dir.path);
    await ledger.load();
    assert.deepEqual(ledger.identity, { epoch: 0, createdMs: undefined });
    assert.equal(ledger.has(11), false);
    assert.equal(ledger.highest, 20);
  } finally {
    await dir.cleanup();
  }
});
