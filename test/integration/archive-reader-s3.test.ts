/** The archive reader and dataset catalog on S3 (a real s3rver on 127.0.0.1): same records as on disk. */
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { dayStartUs } from "../../src/adapters/archive-reader/archive-layout.js";
import { readArchive } from "../../src/adapters/archive-reader/archive-reader.js";
import { openArchiveStore } from "../../src/adapters/archive-reader/open-store.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import type { ObjectStore } from "../../src/adapters/storage/types.js";
import { DatasetCatalog } from "../../src/components/data-api/dataset-catalog.js";
import { daySample } from "../../src/components/data-api/day-scan.js";
import type { StreamRecord } from "../../src/core/record.js";
import { fixtureRecords, gapRecord, writeFixtureDay } from "../helpers/data-archive.js";
import { startS3Server, type TestS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/tmp.js";

const DATE = "2026-11-20";

async function collect(iterable: AsyncIterable<StreamRecord>): Promise<StreamRecord[]> {
  const out: StreamRecord[] = [];
  for await (const record of iterable) out.push(record);
  return out;
}

describe("archive reader on S3", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let s3: TestS3Server;
  let store: ObjectStore;
  let records: StreamRecord[];

  before(async () => {
    dir = await tempDir("ssmd-reader-s3-");
    s3 = await startS3Server("archive");
    const a = fixtureRecords(dayStartUs(DATE), 800);
    const b = fixtureRecords(dayStartUs(DATE) + 3_600_000_000, 600, "test.kalshi", 2).map((r, i) => ({
      ...r,
      seq: 900 + i,
    }));
    records = [...a, gapRecord(a.at(-1)!.rt + 1, 801), ...b];
    await writeFixtureDay(dir.path, "kalshi", DATE, [
      { hhmm: "0000", records: [...a, records[800]!] },
      { hhmm: "0100", records: b },
    ]);
    store = await openArchiveStore("s3://archive/team/raw", dir.path, {
      endpoint: s3.endpoint,
      region: "us-east-1",
      credentials: s3.credentials,
    });
    const local = join(dir.path, "kalshi", DATE);
    for (const name of await readdir(local)) await store.putFile(`kalshi/${DATE}/${name}`, join(local, name));
  });
  after(async () => {
    await s3.cleanup();
    await dir.cleanup();
  });

  test("reads the same records, in order, as from the directory", async () => {
    assert.equal(store.kind, "s3");
    const fromS3 = await collect(readArchive(store, { feed: "kalshi" }));
    const fromDisk = await collect(readArchive(createLocalStore(dir.path), { feed: "kalshi" }));
    assert.equal(fromS3.length, records.length);
    assert.deepEqual(fromS3, records);
    assert.deepEqual(fromS3, fromDisk);
  });

  test("filters, catalog and samples work over S3; an early stop closes the object stream", async () => {
    const trades = await collect(
      readArchive(store, { feed: "kalshi", channels: ["trade"], includeGaps: false }),
    );
    assert.deepEqual(
      trades,
      records.filter((r) => r.subject.includes(".json.trade.")),
    );
    const catalog = new DatasetCatalog(store);
    assert.deepEqual(await catalog.feeds(), ["kalshi"]);
    const [summary] = await catalog.datasets({ feed: "kalshi" });
    assert.equal(summary?.records, records.length);
    assert.equal(summary?.gaps, 1);
    await assert.rejects(catalog.requireDay("kalshi", "2026-11-21"), /latest available date is 2026-11-20/);
    const sample = await daySample(store, "kalshi", DATE, { limit: 3, types: ["orderbook_delta"] });
    assert.equal(sample.length, 3);
    const reader = readArchive(store, { feed: "kalshi" });
    let seen = 0;
    for await (const _ of reader) if (++seen === 5) break;
    assert.equal(reader.stats.files, 1);
  });
});
