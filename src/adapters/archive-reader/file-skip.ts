/**
 * Whole files the reader need not open, decided from the day's manifest: a file whose records
 * all fall outside the time range (first_rt/last_rt), or that holds none of the wanted channels
 * (records_by_channel) and no gap records the consumer should see. Without a manifest nothing
 * is skipped here.
 */
import { channelOfType } from "../../core/kalshi/scan-frame.js";
import type { DayManifest } from "../../core/manifest.js";
import type { RecordFilterSpec } from "./record-filter.js";

export type FileSkipCheck = (fileName: string) => boolean;

function wantedChannels(spec: RecordFilterSpec): Set<string> | undefined {
  const channels = new Set<string>(spec.channels ?? []);
  for (const type of spec.types ?? []) {
    const channel = channelOfType(type);
    if (channel === undefined) return undefined; // unknown type: cannot rule files out
    channels.add(channel);
  }
  return channels.size > 0 ? channels : undefined;
}

export function fileSkipCheck(spec: RecordFilterSpec, manifest: DayManifest | undefined): FileSkipCheck {
  if (!manifest) return () => false;
  const byName = new Map(manifest.files.map((file) => [file.name, file]));
  const channels = wantedChannels(spec);
  const fromUs = spec.fromUs ?? Number.NEGATIVE_INFINITY;
  const toUs = spec.toUs ?? Number.POSITIVE_INFINITY;
  const gaps = spec.includeGaps ?? true;
  return (fileName) => {
    const file = byName.get(fileName);
    if (!file || file.records === 0) return false;
    if (file.last_rt < fromUs || file.first_rt >= toUs) return true;
    if (!channels) return false;
    const counts = file.records_by_channel;
    if (gaps && (counts.status ?? 0) > 0) return false;
    for (const channel of channels) if ((counts[channel] ?? 0) > 0) return false;
    return true;
  };
}
