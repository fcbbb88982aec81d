/**
 * NATS subject wildcard matching, shared by the in-process bus and anyone filtering subjects:
 * `*` matches exactly one token, `>` (last token only) matches one or more tokens.
 * Pure: no I/O. Patterns are split once and reused (`compileSubjectFilter`) on hot paths.
 */

/** True when `subject` matches the NATS `pattern` (`*` = one token, trailing `>` = one or more). */
export function subjectMatches(pattern: string, subject: string): boolean {
  return matchTokens(pattern.split("."), subject.split("."));
}

/** A reusable predicate for a set of patterns; no patterns (or undefined) matches every subject. */
export function compileSubjectFilter(patterns: readonly string[] | undefined): (subject: string) => boolean {
  if (!patterns || patterns.length === 0 || patterns.includes(">")) return () => true;
  const literal = new Set(patterns.filter((p) => !isWildcard(p)));
  const wild = patterns.filter(isWildcard).map((p) => p.split("."));
  if (wild.length === 0) return (subject) => literal.has(subject);
  return (subject) => {
    if (literal.has(subject)) return true;
    const tokens = subject.split(".");
    return wild.some((pattern) => matchTokens(pattern, tokens));
  };
}

/** True when the subject (or pattern) contains a wildcard token. */
export function isWildcard(pattern: string): boolean {
  return pattern.split(".").some((token) => token === "*" || token === ">");
}

/** A subject or pattern is valid when it has no empty tokens, and `>` appears only last. */
export function isValidSubjectPattern(pattern: string): boolean {
  if (pattern.length === 0 || /\s/.test(pattern)) return false;
  const tokens = pattern.split(".");
  return tokens.every((token, i) => token.length > 0 && (token !== ">" || i === tokens.length - 1));
}

/**
 * True when every subject matched by `inner` is also matched by `outer`
 * (e.g. `prod.kalshi.json.>` is covered by `prod.kalshi.>`).
 */
export function patternCovers(outer: string, inner: string): boolean {
  const o = outer.split(".");
  const i = inner.split(".");
  for (let k = 0; k < o.length; k++) {
    if (o[k] === ">") return k < i.length;
    const token = i[k];
    if (token === undefined || token === ">") return false;
    if (o[k] !== "*" && o[k] !== token) return false;
  }
  return o.length === i.length;
}

/** True when some subject could match both patterns (a filter overlaps a stream's subjects). */
export function patternsOverlap(a: string, b: string): boolean {
  const x = a.split(".");
  const y = b.split(".");
  for (let k = 0; k < Math.max(x.length, y.length); k++) {
    const p = x[k];
    const q = y[k];
    if (p === ">" || q === ">") return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return false;
    if (p !== "*" && q !== "*" && p !== q) return false;
  }
  return true;
}

function matchTokens(pattern: readonly string[], subject: readonly string[]): boolean {
  for (let k = 0; k < pattern.length; k++) {
    const token = pattern[k];
    if (token === ">") return subject.length > k;
    if (k >= subject.length) return false;
    if (token !== "*" && token !== subject[k]) return false;
  }
  return pattern.length === subject.length;
}
