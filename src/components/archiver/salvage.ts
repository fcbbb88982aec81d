/**
 * Crash recovery for one day directory: a `.tmp` left by `kill -9` holds a gzip stream cut at
 * some point after its last sync. Its valid prefix (complete lines only; the partial last line
 * is dropped) becomes a sealed file under the same name; the `.tmp` is removed afterwards.
 * Also scans sealed files, to rebuild manifest entries that a crash kept from being written.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { constants, createGunzip, gzipSync } from "node:zlib";
import { syncDir, syncFileAndDir } from "../../adapters/storage/local-store.js";
import { decodeArchiveLine, isCompleteArchiveLine } from "../../core/archive-line.js";
import { dayStartMs, parseArchiveFileName, TMP_SUFFIX } from "../../core/archive-paths.js";
import { looksLikeGapRecord } from "../../core/gap-records.js";
import type { ManifestFile, ManifestGap } from "../../core/manifest.js";
import { connectorGapOf, FileStats } from "./file-stats.js";

export interface ScannedFile {
  file: ManifestFile;
  tickers: Set<string>;
  channels: string[];
  gaps: ManifestGap[];
  /** Stream sequences of the file's lines (for the seq ledger). */
  seqs: number[];
}

/** Decompresses as much of a (possibly truncated) gzip file as decodes; never throws on a cut stream. */
export async function gunzipTolerant(data: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await new Promise<void>((done) => {
    const gunzip = createGunzip({ finishFlush: constants.Z_SYNC_FLUSH });
    gunzip.on("data", (chunk: Buffer) => chunks.push(chunk));
    gunzip.on("end", () => done());
    gunzip.on("error", () => done());
    gunzip.end(data);
  });
  return Buffer.concat(chunks);
}

/** Complete, valid lines from the start of the text; stops at the first bad or partial one. */
export function validPrefixLines(text: string): string[] {
  const parts = text.split("\n");
  parts.pop(); // after the last "\n": empty, or a partial line
  const lines: string[] = [];
  for (const line of parts) {
    if (!isCompleteArchiveLine(line)) break;
    lines.push(line);
  }
  return lines;
}

/** Salvages every `.tmp` in `dir`; returns the names of the files it sealed. */
export async function salvageDirectory(dir: string, level: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sealed: string[] = [];
  for (const tmpName of names.filter((name) => name.endsWith(TMP_SUFFIX))) {
    const finalName = tmpName.slice(0, -TMP_SUFFIX.length);
    if (!parseArchiveFileName(finalName)) continue;
    const tmpPath = join(dir, tmpName);
    const finalPath = join(dir, finalName);
    const already = await stat(finalPath).then(
      () => true,
      () => false,
    );
    if (!already) {
      const text = (await gunzipTolerant(await readFile(tmpPath))).toString("utf8");
      const lines = validPrefixLines(text);
      if (lines.length > 0) {
        const work = `${finalPath}.salvage`;
        await writeFile(work, gzipSync(`${lines.join("\n")}\n`, { level }));
        await syncFileAndDir(work);
        await rename(work, finalPath);
        sealed.push(finalName);
      }
    }
    await rm(tmpPath, { force: true });
    await syncDir(dir);
  }
  return sealed;
}

/** Reads a sealed file back into a manifest entry (used when the manifest missed it). */
export async function scanSealedFile(
  dir: string,
  name: string,
  date: string,
  rotationMs: number,
): Promise<ScannedFile> {
  const data = await readFile(join(dir, name));
  const raw = await gunzipTolerant(data);
  const stats = new FileStats();
  const seqs: number[] = [];
  for (const line of raw.toString("utf8").split("\n")) {
    if (line.length === 0) continue;
    const record = decodeArchiveLine(line);
    stats.add(record.subject, record.seq, record.rt);
    if (record.seq > 0) seqs.push(record.seq);
    if (looksLikeGapRecord(record.msg)) {
      const gap = connectorGapOf(record.msg);
      if (gap) stats.addGap(gap);
    }
  }
  const parsed = parseArchiveFileName(name);
  const hhmm = parsed?.hhmm ?? "0000";
  const startMs = dayStartMs(date) + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(2))) * 60_000;
  const endMs = stats.lastRt > 0 ? Math.min(Math.floor(stats.lastRt / 1000), startMs + rotationMs) : startMs;
  const file = stats.toManifestFile(name, startMs, Math.max(startMs, endMs), {
    bytesCompressed: data.length,
    bytesRaw: raw.length,
    sha256: createHash("sha256").update(data).digest("hex"),
  });
  return { file, tickers: stats.tickers, channels: Object.keys(stats.byChannel), gaps: stats.gaps, seqs };
}
