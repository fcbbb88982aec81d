/** The archiver's stats() snapshot, assembled from the parts that count. */

import type { ArchivePipeline } from "./archive-pipeline.js";
import type { WriterCounters } from "./archive-writer.js";

export interface ArchiverStats extends WriterCounters {
  filesSealed: number;
  bytesWritten: number;
  uploadsPending: number;
  highestSeq: number;
  lag: number;
  openFile: string | undefined;
  salvaged: number;
  running: boolean;
  ledgerEpoch: number;
  waiting: string | undefined;
}

/** Everything stats() reports that does not come from the pipeline (absent before start()). */
export interface StatsInputs {
  uploadsPending: number;
  lag: number;
  running: boolean;
  waiting: string | undefined;
}

const NO_COUNTS: WriterCounters = { messages: 0, duplicates: 0, redeliveries: 0, gaps: 0, parseErrors: 0 };

export function assembleStats(pipeline: ArchivePipeline | undefined, inputs: StatsInputs): ArchiverStats {
  const counters = pipeline?.writer.counters ?? NO_COUNTS;
  return {
    ...counters,
    filesSealed: pipeline?.sealer.counters.filesSealed ?? 0,
    bytesWritten: pipeline?.sealer.counters.bytesWritten ?? 0,
    uploadsPending: inputs.uploadsPending,
    highestSeq: pipeline?.writer.highestSeq ?? 0,
    lag: inputs.lag,
    openFile: pipeline?.writer.openFileName,
    salvaged: pipeline?.salvaged.length ?? 0,
    running: inputs.running,
    ledgerEpoch: pipeline?.ledger.identity.epoch ?? 0,
    waiting: inputs.waiting,
  };
}
