/**
 * The archiver's write path, opened at start(): day manifests, the dedupe set, the seq ledger,
 * recovery of what an earlier run left in the work directory, the seal service and the writer.
 */
import { join } from "node:path";
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import type { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { ArchiveWriter } from "./archive-writer.js";
import type { ArchiverConfig } from "./config.js";
import { DayManifests } from "./day-manifests.js";
import { DayDedupe } from "./dedupe.js";
import type { ArchiverMetrics } from "./metrics.js";
import { recoverWorkDir } from "./recovery.js";
import { SealService } from "./seal.js";
import { SeqLedger } from "./seq-ledger.js";

const STATE_DIR = ".archiver-state";

/** Where the archiver keeps its own state for a feed (spool, dedupe ids, seq ledger). */
export function archiverStateDir(workDir: string, feed: string): string {
  return join(workDir, STATE_DIR, feed);
}

export function stateDirOf(config: ArchiverConfig): string {
  return archiverStateDir(config.workDir, config.feed);
}

export interface PipelineDeps {
  bus: Bus;
  store: ObjectStore;
  logger: Logger;
  spool: UploadSpool;
  metrics: ArchiverMetrics;
  clock: () => number;
}

export interface ArchivePipeline {
  ledger: SeqLedger;
  sealer: SealService;
  writer: ArchiveWriter;
  /** Files a crashed run left behind, salvaged at start (`date/name`). */
  salvaged: string[];
}

/** Loads the ledger, recovers the work directory, and builds the writer on top of them. */
export async function openPipeline(config: ArchiverConfig, deps: PipelineDeps): Promise<ArchivePipeline> {
  const { store, spool, logger, metrics, clock } = deps;
  const nowIso = () => new Date(clock()).toISOString();
  const manifests = new DayManifests(config.workDir, config.feed, store, spool, logger, nowIso);
  const dedupe = new DayDedupe(stateDirOf(config), config.dedupeMaxIds);
  const ledger = new SeqLedger(stateDirOf(config));
  await ledger.load();
  const recovered = await recoverWorkDir({ ...config, manifests, spool, ledger, logger });
  const sealer = new SealService(config.feed, config.bucketLabel, manifests, spool, dedupe, metrics, logger);
  const writer = new ArchiveWriter(config, dedupe, sealer, metrics, clock, ledger, deps.bus);
  writer.rememberOpenDays(recovered.openDays);
  return { ledger, sealer, writer, salvaged: recovered.salvaged };
}
