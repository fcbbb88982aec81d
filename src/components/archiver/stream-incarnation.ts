/**
 * Tells a new incarnation of the archiver's stream (deleted and recreated: another creation time,
 * or a last seq below what was archived) from the one the seq ledger belongs to. Waiting for the
 * stream to exist is the shared StreamWait (adapters/bus/stream-wait.ts).
 */
import type { StreamInfo } from "../../adapters/bus/types.js";
import type { LedgerIdentity } from "./seq-ledger.js";

/** Why `info` is not the incarnation the ledger was written for; undefined when it is. */
export function incarnationChange(
  ledger: LedgerIdentity,
  archivedHighest: number,
  info: StreamInfo,
): string | undefined {
  const known = ledger.createdMs;
  if (known !== undefined && info.createdMs !== undefined && known !== info.createdMs) {
    const was = new Date(known).toISOString();
    return `stream '${info.name}' was recreated at ${new Date(info.createdMs).toISOString()} (ledger: ${was})`;
  }
  if (info.lastSeq < archivedHighest)
    return `stream '${info.name}' last seq ${info.lastSeq} is below the archived ${archivedHighest}`;
  return undefined;
}
