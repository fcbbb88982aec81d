/** Time coverage of a day: ISO [start, end] pairs, merged and measured. Pure. */
export type CoveredInterval = [string, string];

export function interval(startMs: number, endMs: number): CoveredInterval {
  return [new Date(startMs).toISOString(), new Date(Math.max(startMs, endMs)).toISOString()];
}

/** Sorted, overlapping or touching intervals joined. */
export function mergeIntervals(intervals: CoveredInterval[]): CoveredInterval[] {
  const sorted = intervals
    .map(([a, b]) => [Date.parse(a), Date.parse(b)] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b >= a)
    .sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out.map(([a, b]) => interval(a, b));
}

/** Milliseconds of [dayStart, dayStart + dayMs) covered by the intervals. */
export function coveredMs(intervals: CoveredInterval[], dayStart: number, dayMs: number): number {
  let total = 0;
  for (const [a, b] of mergeIntervals(intervals)) {
    const start = Math.max(Date.parse(a), dayStart);
    const end = Math.min(Date.parse(b), dayStart + dayMs);
    if (end > start) total += end - start;
  }
  return total;
}
