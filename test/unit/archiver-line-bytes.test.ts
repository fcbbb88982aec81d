/** The byte-level line writer produces exactly the contract's line, for every digit count. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { ArchiveFileWriter } from "../../src/components/archiver/file-writer.js";
import { archiveLineTail, encodeArchiveLine } from "../../src/core/archive-line.js";
import { tempDir } from "../helpers/tmp.js";

test("appendLine writes the same bytes as encodeArchiveLine", async () => {
  const dir = await tempDir("ssmd-line-bytes-");
  try {
    const writer = await ArchiveFileWriter.create(dir.path, "0900.jsonl.gz", 6);
    const values = [
      0,
      1,
      9,
      10,
      11,
      99,
      100,
      101,
      999_999,
      1_000_000,
      1765670400123456,
      Number.MAX_SAFE_INTEGER,
    ];
    const expected: string[] = [];
    const subjects = ["prod.kalshi.json.trade.KX-T1_5", "prod.kalshi.json.ticker.é"];
    for (const [i, rt] of values.entries()) {
      const seq = values[values.length - 1 - i]!;
      const subject = subjects[i % 2]!;
      const frame = `{"type":"trade","i":${i}}`;
      writer.appendLine(rt, seq, Buffer.from(archiveLineTail(subject)), Buffer.from(frame));
      expected.push(encodeArchiveLine(rt, seq, subject, frame));
    }
    // enough lines to cross the writer's internal buffer several times
    for (let i = 0; i < 5000; i++) {
      const frame = `{"n":${i},"pad":"${"x".repeat(i % 300)}"}`;
      writer.appendLine(1765670400000000 + i, i + 1, Buffer.from(archiveLineTail("a.b")), Buffer.from(frame));
      expected.push(encodeArchiveLine(1765670400000000 + i, i + 1, "a.b", frame));
    }
    const written = await writer.seal();
    const text = gunzipSync(await readFile(written.path)).toString("utf8");
    assert.equal(text, expected.join(""));
  } finally {
    await dir.cleanup();
  }
});
