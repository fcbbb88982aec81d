/** The file currently being written: its window, writer, manifest stats and what it owes the day. */
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { archiveFileName, parseArchiveFileName, type RotationWindow } from "../../core/archive-paths.js";
import type { ManifestGap } from "../../core/manifest.js";
import { FileStats } from "./file-stats.js";
import { ArchiveFileWriter } from "./file-writer.js";

export interface OpenFile {
  window: RotationWindow;
  name: string;
  dir: string;
  writer: ArchiveFileWriter;
  stats: FileStats;
  /** Nats-Msg-Ids written to this file (persisted for dedupe at seal). */
  ids: string[];
  duplicates: number;
  parseErrors: number;
  gaps: ManifestGap[];
  /** Ledger epoch (stream incarnation) of the seqs in this file. */
  streamEpoch: number;
}

/** Opens `{workDir}/{feed}/{date}/{HHMM}[_N].jsonl.gz.tmp`, taking the first name not yet sealed. */
export async function openWindowFile(
  workDir: string,
  feed: string,
  window: RotationWindow,
  level: number,
  streamEpoch = 0,
): Promise<OpenFile> {
  const dir = join(workDir, feed, window.date);
  await mkdir(dir, { recursive: true });
  const taken = new Set(
    (await readdir(dir))
      .map((name) => parseArchiveFileName(name.replace(/\.tmp$/, "")))
      .filter((parsed) => parsed?.hhmm === window.hhmm)
      .map((parsed) => parsed?.part),
  );
  let part = 0;
  while (taken.has(part)) part++;
  const name = archiveFileName(window.hhmm, part);
  const writer = await ArchiveFileWriter.create(dir, name, level);
  return {
    window,
    name,
    dir,
    writer,
    stats: new FileStats(),
    ids: [],
    duplicates: 0,
    parseErrors: 0,
    gaps: [],
    streamEpoch,
  };
}
