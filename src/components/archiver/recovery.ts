/**
 * Start-up recovery of the work directory: salvage `.tmp` files left by a crash, add sealed files
 * the manifest does not list yet (a crash between rename and manifest write), find the highest
 * archived stream sequence, and queue every file and manifest the store has not confirmed.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../../adapters/log.js";
import type { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { archiveKey, isDate, manifestKey, parseArchiveFileName } from "../../core/archive-paths.js";
import type { DayManifests } from "./day-manifests.js";
import { salvageDirectory, scanSealedFile } from "./salvage.js";
import type { SeqLedger } from "./seq-ledger.js";

export interface RecoveryOptions {
  workDir: string;
  feed: string;
  rotationMs: number;
  compressionLevel: number;
  manifests: DayManifests;
  spool: UploadSpool;
  ledger: SeqLedger;
  logger: Logger;
}

export interface RecoveryResult {
  /** Days whose manifest is still `open` (closed once the archiver writes a later day). */
  openDays: string[];
  salvaged: string[];
}

export async function recoverWorkDir(options: RecoveryOptions): Promise<RecoveryResult> {
  const feedDir = join(options.workDir, options.feed);
  const dates = (await readdir(feedDir).catch(() => [] as string[])).filter(isDate).sort();
  const result: RecoveryResult = { openDays: [], salvaged: [] };
  for (const date of dates) await recoverDay(options, date, result);
  await options.ledger.persist();
  return result;
}

async function recoverDay(options: RecoveryOptions, date: string, result: RecoveryResult): Promise<void> {
  const { feed, manifests, spool, logger } = options;
  const dir = join(options.workDir, feed, date);
  const salvaged = await salvageDirectory(dir, options.compressionLevel);
  for (const name of salvaged) logger.warn("salvaged crashed file", { date, file: name });
  result.salvaged.push(...salvaged.map((name) => `${date}/${name}`));
  const names = (await readdir(dir)).filter((name) => parseArchiveFileName(name)).sort();
  let manifest = await manifests.get(date);
  const listed = new Set(manifest.files.map((file) => file.name));
  for (const name of names.filter((n) => !listed.has(n))) {
    const scanned = await scanSealedFile(dir, name, date, options.rotationMs);
    const file = salvaged.includes(name) ? { ...scanned.file, salvaged: true } : scanned.file;
    for (const seq of scanned.seqs) options.ledger.add(seq);
    await options.ledger.persist();
    manifest = await manifests.apply(date, {
      file,
      tickers: scanned.tickers,
      channels: scanned.channels,
      gaps: scanned.gaps,
      covered: [[file.start, file.end]],
    });
    logger.warn("sealed file missing from the manifest: added", { date, file: name, records: file.records });
  }
  if (manifest.status === "open") result.openDays.push(date);
  const shaByName = new Map(manifest.files.map((file) => [file.name, file.sha256]));
  for (const name of names) {
    const key = archiveKey(feed, date, name);
    if (!spool.isConfirmed(key)) {
      spool.enqueue({ key, localPath: join(dir, name), kind: "data", sha256: shaByName.get(name) });
    }
  }
  const manifestPath = manifests.localPath(date);
  const body = await readFile(manifestPath).catch(() => undefined);
  const sha = body ? createHash("sha256").update(body).digest("hex") : undefined;
  if (body && !spool.isConfirmed(manifestKey(feed, date), sha)) {
    spool.enqueue({ key: manifestKey(feed, date), localPath: manifestPath, kind: "manifest" });
  }
}
