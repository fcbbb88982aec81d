/**
 * Where an existing archive left off, so a new `ssmd demo` run on the in-process bus (whose
 * stream starts empty every run) continues the stream sequence instead of restarting at 1. The
 * archiver takes each run's stream as a new incarnation (new ledger epoch) either way; continuing
 * keeps one monotonic seq space per day. Reads the archiver's sequence ledger and the day
 * manifests' `last_seq` (both under the archive root).
 */
import { createLocalStore } from "../../adapters/storage/local-store.js";
import { archiverStateDir } from "../archiver/archive-pipeline.js";
import { SeqLedger } from "../archiver/seq-ledger.js";

/** Highest stream sequence already archived under `dir` for `feed`; 0 for a new archive. */
export async function archivedSeqHigh(dir: string, feed: string): Promise<number> {
  const ledger = new SeqLedger(archiverStateDir(dir, feed));
  await ledger.load();
  let highest = ledger.highest;
  const store = createLocalStore(dir);
  for (const object of await store.list(`${feed}/`)) {
    if (!object.key.endsWith("/manifest.json")) continue;
    highest = Math.max(highest, lastSeqOf(await store.readBytes(object.key)));
  }
  return highest;
}

function lastSeqOf(manifest: Buffer): number {
  try {
    const parsed: unknown = JSON.parse(manifest.toString("utf8"));
    const files = (parsed as { files?: unknown }).files;
    if (!Array.isArray(files)) return 0;
    return Math.max(0, ...files.map((file: { last_seq?: unknown }) => Number(file?.last_seq) || 0));
  } catch {
    return 0;
  }
}
