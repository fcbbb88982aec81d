/**
 * Test archives in the contract format (ARCHITECTURE.md §3), for the data helper's tests:
 * deterministic Kalshi-like frames (current wire format, tickers with '.', gaps) written as
 * {root}/{feed}/{date}/{HHMM}.jsonl.gz plus a manifest.json, and a read-only directory store.
 * End-to-end tests also use archives written by the real archiver from simulator traffic.
 */

import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import type { ObjectInfo, ObjectStore } from "../../src/adapters/storage/types.js";
import { applyDelta, emptyManifest, type ManifestFile, type ManifestGap } from "../../src/core/manifest.js";
import type { StreamRecord } from "../../src/core/record.js";
import { prng } from "./prng.js";

export const TICKERS = ["KXBTCD-26NOV21-T67749.99", "KXETHD-26NOV21-T3500", "KXFED-26DEC-H0"];

function token(ticker: string): string {
  return ticker.replaceAll(".", "_");
}

function dollars(units: number): string {
  return (units / 10_000).toFixed(4);
}

/** `count` records starting at `startUs`, 10 ms apart, cycling through the four channels. */
export function fixtureRecords(
  startUs: number,
  count: number,
  prefix = "test.kalshi",
  seed = 1,
): StreamRecord[] {
  const random = prng(seed);
  const records: StreamRecord[] = [];
  const seqBySid = new Map<number, number>();
  const nextSeq = (sid: number) => {
    const seq = (seqBySid.get(sid) ?? 0) + 1;
    seqBySid.set(sid, seq);
    return seq;
  };
  for (let i = 0; i < count; i++) {
    const rt = startUs + i * 10_000;
    const ticker = TICKERS[i % TICKERS.length]!;
    const price = 1000 + Math.floor(random() * 8000);
    const size = Math.floor(random() * 100_000) / 100;
    const kind = i % 7;
    const ts = Math.floor(rt / 1_000_000);
    let channel: string;
    let msg: string;
    if (kind === 0 || kind === 4) {
      channel = "trade";
      msg = JSON.stringify({
        type: "trade",
        sid: 2,
        seq: nextSeq(2),
        msg: {
          trade_id: `t-${seed}-${i}`,
          market_ticker: ticker,
          yes_price_dollars: dollars(price),
          no_price_dollars: dollars(10_000 - price),
          count_fp: size.toFixed(2),
          taker_outcome_side: random() < 0.5 ? "yes" : "no",
          ts,
        },
      });
    } else if (kind === 1) {
      channel = "ticker";
      msg = JSON.stringify({
        type: "ticker",
        sid: 1,
        msg: {
          market_ticker: ticker,
          price_dollars: dollars(price),
          yes_bid_dollars: dollars(price - 100),
          yes_ask_dollars: dollars(price + 100),
          volume_fp: "1000.00",
          open_interest_fp: "500.00",
          ts,
          ts_ms: Math.floor(rt / 1000),
        },
      });
    } else if (kind === 2) {
      channel = "orderbook";
      msg = JSON.stringify({
        type: "orderbook_snapshot",
        sid: 3,
        seq: nextSeq(3),
        msg: {
          market_ticker: ticker,
          yes_dollars_fp: [
            [dollars(price - 200), "10.00"],
            [dollars(price - 100), size.toFixed(2)],
          ],
          no_dollars_fp: [[dollars(9_000 - price), "5.50"]],
        },
      });
    } else if (kind === 3 || kind === 5) {
      channel = "orderbook";
      msg = JSON.stringify({
        type: "orderbook_delta",
        sid: 3,
        seq: nextSeq(3),
        msg: {
          market_ticker: ticker,
          price_dollars: dollars(price - 100),
          delta_fp: (random() < 0.5 ? "-" : "") + "1.25",
          side: random() < 0.5 ? "yes" : "no",
          ts: new Date(Math.floor(rt / 1000)).toISOString(),
        },
      });
    } else {
      channel = "lifecycle";
      msg = JSON.stringify({
        type: "market_lifecycle_v2",
        sid: 4,
        msg: { market_ticker: ticker, event_type: "activated", open_ts: ts, close_ts: ts + 3600 },
      });
    }
    records.push({ rt, seq: i + 1, subject: `${prefix}.json.${channel}.${token(ticker)}`, msg });
  }
  return records;
}

export function gapRecord(
  rt: number,
  seq: number,
  prefix = "test.kalshi",
  tickers: string[] = [],
): StreamRecord {
  const iso = new Date(Math.floor(rt / 1000)).toISOString();
  const msg = JSON.stringify({
    type: "ssmd_gap",
    reason: "seq_gap",
    sid: 3,
    from_seq: 10,
    to_seq: 12,
    tickers,
    started_at: iso,
    ended_at: iso,
  });
  return { rt, seq, subject: `${prefix}.status.gap`, msg };
}

export function archiveLine(record: StreamRecord): string {
  return `{"rt":${record.rt},"seq":${record.seq},"subject":"${record.subject}","msg":${record.msg}}\n`;
}

export interface FixtureFile {
  hhmm: string;
  records: StreamRecord[];
}

/** Writes one day: gzip JSONL per file plus a manifest (the archiver's model) listing them. */
export async function writeFixtureDay(root: string, feed: string, date: string, files: FixtureFile[]) {
  const dir = join(root, feed, date);
  await mkdir(dir, { recursive: true });
  const now = `${date}T23:59:59.000Z`;
  let manifest = emptyManifest(feed, date, now);
  for (const file of files) {
    const raw = Buffer.from(file.records.map(archiveLine).join(""));
    const gz = gzipSync(raw);
    await writeFile(join(dir, `${file.hhmm}.jsonl.gz`), gz);
    const entry = manifestFile(date, file, raw, gz);
    const gaps = file.records.filter((r) => r.subject.includes(".status.")).map(manifestGap);
    const tickers = file.records
      .filter((r) => r.subject.includes(".json."))
      .map((r) => r.subject.split(".").at(-1)!);
    manifest = applyDelta(
      manifest,
      {
        file: entry,
        tickers,
        channels: Object.keys(entry.records_by_channel),
        gaps,
        covered: [[entry.start, entry.end]],
      },
      now,
    );
  }
  manifest = applyDelta(manifest, { closeDay: true }, now);
  await writeFile(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

function manifestFile(date: string, file: FixtureFile, raw: Buffer, gz: Buffer): ManifestFile {
  const start = new Date(`${date}T${file.hhmm.slice(0, 2)}:${file.hhmm.slice(2)}:00Z`);
  const byChannel: Record<string, number> = {};
  for (const r of file.records) {
    const parts = r.subject.split(".");
    const channel = parts.at(-3) === "json" ? parts.at(-2)! : "status";
    byChannel[channel] = (byChannel[channel] ?? 0) + 1;
  }
  return {
    name: `${file.hhmm}.jsonl.gz`,
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    records: file.records.length,
    records_by_channel: byChannel,
    bytes_compressed: gz.length,
    bytes_raw: raw.length,
    sha256: createHash("sha256").update(gz).digest("hex"),
    first_seq: file.records[0]?.seq ?? 0,
    last_seq: file.records.at(-1)?.seq ?? 0,
    first_rt: file.records[0]?.rt ?? 0,
    last_rt: file.records.at(-1)?.rt ?? 0,
  };
}

function manifestGap(record: StreamRecord): ManifestGap {
  const gap = JSON.parse(record.msg) as Omit<ManifestGap, "source">;
  return { ...gap, source: "connector" };
}

/** A read-only ObjectStore over a directory (the archiver's local store is the real one). */
export function dirStore(root: string): ObjectStore {
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const nested = await Promise.all(
      entries.map((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)])),
    );
    return nested.flat();
  };
  const unsupported = async () => {
    throw new Error("read-only test store");
  };
  return {
    kind: "local",
    location: root,
    async list(prefix: string): Promise<ObjectInfo[]> {
      const paths = await walk(root);
      const infos = await Promise.all(
        paths.map(async (path) => {
          const info = await stat(path);
          return { key: relative(root, path), size: info.size, modifiedMs: info.mtimeMs };
        }),
      );
      return infos.filter((info) => info.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
    },
    async listPrefixes(prefix: string): Promise<string[]> {
      const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
      return entries.filter((entry) => entry.isDirectory()).map((entry) => `${prefix}${entry.name}/`);
    },
    async exists(key: string) {
      return stat(join(root, key)).then(
        () => true,
        () => false,
      );
    },
    async read(key: string) {
      return Readable.from([await readFile(join(root, key))]);
    },
    readBytes: (key: string) => readFile(join(root, key)),
    putFile: unsupported,
    putBytes: unsupported,
    delete: unsupported,
  };
}
