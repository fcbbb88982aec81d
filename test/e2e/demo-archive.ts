/**
 * Checks an `ssmd demo` archive the way a user would read it: every sealed file is gzip JSONL
 * with `rt` first, the manifest lists each file with its record count, no `.tmp` is left.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

interface ManifestFile {
  name: string;
  records: number;
  first_seq: number;
  last_seq: number;
}

/** Every sealed file parses line by line; returns the number of lines and the seqs seen. */
export async function checkArchive(dir: string): Promise<{ lines: number; files: string[] }> {
  const feedDir = join(dir, "kalshi");
  const days = await readdir(feedDir);
  assert.equal(days.length, 1, `one day folder, got ${days.join(",")}`);
  const dayDir = join(feedDir, days[0]!);
  const names = await readdir(dayDir);
  assert.deepEqual(
    names.filter((name) => name.endsWith(".tmp")),
    [],
    "no unsealed .tmp file left",
  );
  const files = names.filter((name) => name.endsWith(".jsonl.gz")).sort();
  assert.ok(files.length >= 1, "at least one sealed file");
  const manifest = JSON.parse(await readFile(join(dayDir, "manifest.json"), "utf8")) as {
    feed: string;
    files: ManifestFile[];
  };
  assert.equal(manifest.feed, "kalshi");
  let lines = 0;
  for (const file of files) {
    const text = gunzipSync(await readFile(join(dayDir, file))).toString("utf8");
    const records = text.trimEnd().split("\n");
    for (const line of records) {
      assert.ok(line.startsWith('{"rt":'), `rt first: ${line.slice(0, 40)}`);
      const record = JSON.parse(line) as { rt: number; seq: number; subject: string; msg: unknown };
      assert.ok(Number.isInteger(record.rt) && record.rt > 1e15, "rt in µs");
      assert.ok(Number.isInteger(record.seq) && record.seq > 0);
      assert.match(record.subject, /^demo\.kalshi\.(json|status)\./);
      assert.equal(typeof record.msg, "object");
    }
    const entry = manifest.files.find((candidate) => candidate.name === file);
    assert.ok(entry, `manifest lists ${file}`);
    assert.equal(entry.records, records.length, `manifest record count of ${file}`);
    lines += records.length;
  }
  return { lines, files };
}
