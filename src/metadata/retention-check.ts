/**
 * `ssmd env apply`: the live stream's retention beside the environment's, as one line.
 * Same → ✓. A different storage type → ✗ (JetStream cannot change it; the connector would refuse
 * to start). Other differences → "!" warning: the connector updates the stream at its next start,
 * so applying a new retention is allowed.
 */
import type { StreamLimits } from "../adapters/bus/types.js";
import type { CheckItem } from "./live-checks.js";
import { describeRetention, formatDuration, formatSize } from "./retention.js";
import type { RetentionConfig } from "./types.js";

/** Each field whose live value differs from the environment's, as `field live → wanted`. */
export function retentionDifferences(live: StreamLimits, wanted: RetentionConfig): string[] {
  const rows: [string, string, string][] = [
    ["max_age", formatDuration(live.maxAgeMs), formatDuration(wanted.max_age_ms)],
    ["max_bytes", formatSize(live.maxBytes), formatSize(wanted.max_bytes)],
    ["max_messages", String(live.maxMessages), String(wanted.max_messages)],
    ["duplicate_window", formatDuration(live.duplicateWindowMs), formatDuration(wanted.duplicate_window_ms)],
    ["replicas", String(live.replicas), String(wanted.replicas)],
    ["storage", live.storage, wanted.storage],
  ];
  return rows
    .filter(([, now, want]) => now !== want)
    .map(([field, now, want]) => `${field} ${now} → ${want}`);
}

export function retentionCheck(stream: string, live: StreamLimits, wanted: RetentionConfig): CheckItem {
  const differences = retentionDifferences(live, wanted);
  if (differences.length === 0) {
    return { status: "ok", text: `NATS stream '${stream}' retention matches (${describeRetention(wanted)})` };
  }
  const text = `NATS stream '${stream}' retention differs: ${differences.join(", ")}`;
  if (live.storage !== wanted.storage) {
    return { status: "fail", text: `${text} (storage cannot change: delete and recreate the stream)` };
  }
  return { status: "warn", text: `${text} (the connector updates the stream at its next start)` };
}
