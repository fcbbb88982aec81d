/**
 * Day quality score, 0..1 (documented in docs/archive.md):
 *   score = coverage × 0.95^gaps × (1 − min(1, parse_errors / records)) × (1 − min(0.5, duplicates / records / 2))
 * coverage: share of the UTC day the archiver was consuming; every gap (connector gap/disconnect
 * record or stream sequence gap) costs 5 %; parse errors count fully, dropped duplicates half.
 */
import type { ManifestQuality } from "./manifest.js";

export interface QualityInputs {
  coverage: number;
  records: number;
  gaps: number;
  duplicates: number;
  parseErrors: number;
}

export function qualityOf(input: QualityInputs): ManifestQuality {
  const records = Math.max(1, input.records);
  const coverage = clamp(input.coverage);
  const gapFactor = 0.95 ** input.gaps;
  const errorFactor = 1 - Math.min(1, input.parseErrors / records);
  const duplicateFactor = 1 - Math.min(0.5, input.duplicates / records / 2);
  return {
    score: round(clamp(coverage * gapFactor * errorFactor * duplicateFactor)),
    coverage: round(coverage),
    gaps: input.gaps,
    duplicates_dropped: input.duplicates,
    parse_errors: input.parseErrors,
  };
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
