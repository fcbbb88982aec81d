/**
 * Gap and disconnect records: where data is known to be missing. They travel in the stream
 * (subject {prefix}.status.gap / .disconnect) and land in the archive, so every consumer sees them.
 * Order books reset on them. Times are ISO-8601 UTC strings taken from receive times, never
 * from a consumer's wall clock.
 */
export type GapReason =
  | "seq_gap"
  | "seq_reset"
  | "disconnect"
  | "publish_buffer_overflow"
  | "publish_rejected"
  | "stream_gap"
  | "subscription_error"
  | "stall";

export interface GapRecord {
  type: "ssmd_gap" | "ssmd_disconnect";
  reason: GapReason | string;
  feed?: string;
  conn?: string;
  /** Kalshi subscription id the gap belongs to, null when it spans a whole connection. */
  sid: number | null;
  /** First missing sequence (exchange seq for seq gaps, stream seq for stream gaps), null if unknown. */
  from_seq: number | null;
  /** Last missing sequence, null if unknown. */
  to_seq: number | null;
  /** Tickers affected; empty when every ticker of the connection is affected. */
  tickers: string[];
  started_at: string;
  ended_at: string | null;
  /** Messages known to be lost, when counted (e.g. publish buffer overflow). */
  lost?: number;
}

export function isGapRecord(value: unknown): value is GapRecord {
  if (typeof value !== "object" || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === "ssmd_gap" || type === "ssmd_disconnect";
}

/** Cheap check on raw frame text, without parsing: does it look like a gap/disconnect record? */
export function looksLikeGapRecord(text: string): boolean {
  return text.startsWith('{"type":"ssmd_gap"') || text.startsWith('{"type":"ssmd_disconnect"');
}

export function usToIso(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
