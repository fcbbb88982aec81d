/**
 * Archive reader and data API throughput (issue 6), beside a baseline measured in the same run:
 * gunzip + line split + JSON.parse of the same files.
 *   filter-only: lines scanned per second with a selective filter (1 ticker, 1 channel)
 *   parsed:      records per second, each frame JSON.parse'd by the consumer
 *   http:        NDJSON lines per second from /datasets/{feed}/{date}/stream over loopback
 * Targets: filter-only ≥ 2,000,000 msgs/s, parsed ≥ 0.9 × baseline, http ≥ 700,000 msgs/s.
 * Data: deterministic Kalshi-like frames (current wire format) written in the archive format.
 */
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGunzip } from "node:zlib";
import { dayStartUs } from "../src/adapters/archive-reader/archive-layout.js";
import { readArchive } from "../src/adapters/archive-reader/archive-reader.js";
import { createLogger } from "../src/adapters/log.js";
import { createLocalStore } from "../src/adapters/storage/local-store.js";
import { createDataApi } from "../src/components/data-api/data-api.js";
import { fixtureRecords, writeFixtureDay } from "../test/helpers/data-archive.js";

const DATE = "2026-11-20";
const FILES = 4;
const PER_FILE = 100_000;
const ROUNDS = 3;

async function timed(run: () => Promise<number>): Promise<{ count: number; perSecond: number }> {
  let best = 0;
  let count = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    count = await run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, count / seconds);
  }
  return { count, perSecond: Math.round(best) };
}

async function baseline(root: string): Promise<number> {
  let count = 0;
  for (let i = 0; i < FILES; i++) {
    const stream = createReadStream(
      join(root, "kalshi", DATE, `${String(i).padStart(2, "0")}00.jsonl.gz`),
    ).pipe(createGunzip({ chunkSize: 256 * 1024 }));
    let carry = "";
    for await (const chunk of stream) {
      const text = carry + (chunk as Buffer).toString("utf8");
      const parts = text.split("\n");
      carry = parts.pop() ?? "";
      for (const line of parts) {
        JSON.parse(line);
        count++;
      }
    }
    if (carry) {
      JSON.parse(carry);
      count++;
    }
  }
  return count;
}

function httpLines(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path: `/datasets/kalshi/${DATE}/stream`, headers: { "x-api-key": "bench" } },
      (res) => {
        let lines = 0;
        res.on("data", (chunk: Buffer) => {
          let at = chunk.indexOf(10);
          while (at >= 0) {
            lines++;
            at = chunk.indexOf(10, at + 1);
          }
        });
        res.on("end", () => resolve(lines));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const root = await mkdtemp(join(tmpdir(), "ssmd-bench-data-"));
try {
  for (let i = 0; i < FILES; i++) {
    const start = dayStartUs(DATE) + i * 3_600_000_000;
    const records = fixtureRecords(start, PER_FILE, "prod.kalshi", i + 1).map((r, j) => ({
      ...r,
      seq: i * PER_FILE + j + 1,
    }));
    await writeFixtureDay(root, "kalshi", DATE, [{ hhmm: `${String(i).padStart(2, "0")}00`, records }]);
  }
  const store = createLocalStore(root);
  const total = FILES * PER_FILE;
  const base = await timed(() => baseline(root));
  const filterOnly = await timed(async () => {
    const reader = readArchive(store, {
      feed: "kalshi",
      tickers: ["KXFED-26DEC-H0"],
      channels: ["lifecycle"],
    });
    for await (const _ of reader) {
      // keep nothing: measure the scan
    }
    return reader.stats.lines;
  });
  const parsed = await timed(async () => {
    let count = 0;
    for await (const record of readArchive(store, { feed: "kalshi" })) {
      JSON.parse(record.msg);
      count++;
    }
    return count;
  });
  const api = createDataApi(
    { host: "127.0.0.1", port: 0, apiKey: "bench", exchangesDir: root, gitEnv: {}, version: "bench" },
    { store, logger: createLogger("bench", { level: "silent" }) },
  );
  await api.start();
  const http = await timed(() => httpLines(api.port));
  await api.stop();
  const targets = { filter_only_msgs_per_s: 2_000_000, parsed_vs_baseline: 0.9, http_msgs_per_s: 700_000 };
  const ratio = Math.round((parsed.perSecond / base.perSecond) * 1000) / 1000;
  console.log(
    JSON.stringify(
      {
        name: "data-throughput",
        records: total,
        rounds: ROUNDS,
        baseline: { what: "gunzip + split + JSON.parse per line", msgs_per_s: base.perSecond },
        filter_only: { msgs_per_s: filterOnly.perSecond, lines: filterOnly.count },
        parsed: { msgs_per_s: parsed.perSecond, vs_baseline: ratio },
        http_ndjson: { msgs_per_s: http.perSecond, lines: http.count },
        targets,
        pass: {
          filter_only: filterOnly.perSecond >= targets.filter_only_msgs_per_s,
          parsed: ratio >= targets.parsed_vs_baseline,
          http: http.perSecond >= targets.http_msgs_per_s,
        },
        complete: filterOnly.count === total && parsed.count === total && http.count === total,
      },
      null,
      2,
    ),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
