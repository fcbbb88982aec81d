/** Edit distance between two strings (Levenshtein), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The closest candidate to `wanted`, if it is close enough to be a plausible typo. */
export function suggest(wanted: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const prefixMatch = best.toLowerCase().startsWith(wanted.toLowerCase()) && wanted.length >= 2;
  const limit = Math.max(2, Math.floor(Math.max(wanted.length, best.length) / 3));
  return bestDistance <= limit || prefixMatch ? best : undefined;
}

/** Up to `count` candidates ordered by closeness, for "did you mean one of ..." lists. */
export function closestMatches(wanted: string, candidates: Iterable<string>, count = 5): string[] {
  return [...candidates]
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((entry) => entry.candidate);
}
