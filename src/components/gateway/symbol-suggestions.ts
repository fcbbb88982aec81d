/**
 * The error for unknown symbols: each gets a "did you mean" among the markets the gateway has
 * seen — a plausible typo (edit distance) first, else the closest market whose ticker contains
 * what was asked for ("btc" → a KXBTCD market) or shares its series ("KXBTCD-…" → another KXBTCD
 * market). A symbol like nothing known gets no suggestion rather than a random one. Only the first
 * few get a suggestion (the search is linear in the number of markets).
 */
import { closestMatches, suggest } from "../../core/suggest.js";

const MAX_SUGGESTIONS = 20;
/** Shorter fragments ("A", "KX") match too much to mean anything. */
const MIN_FRAGMENT = 3;

export function unknownSymbols(
  unknown: string[],
  known: string[],
): { message: string; suggestions: Record<string, string> } {
  const suggestions: Record<string, string> = {};
  for (const symbol of unknown.slice(0, MAX_SUGGESTIONS)) {
    const hint = suggest(symbol, known) ?? related(symbol, known);
    if (hint !== undefined) suggestions[symbol] = hint;
  }
  const hints = Object.entries(suggestions).map(([symbol, hint]) => `'${symbol}': did you mean '${hint}'?`);
  const message = `unknown symbol(s) ${unknown.join(", ")}${hints.length > 0 ? ` (${hints.join("; ")})` : ""}`;
  return { message, suggestions };
}

/** The closest known ticker that contains `symbol` or has its series; undefined when none does. */
function related(symbol: string, known: string[]): string | undefined {
  const wanted = symbol.toLowerCase();
  const series = seriesOf(wanted);
  const matches = known.filter((ticker) => {
    const candidate = ticker.toLowerCase();
    return (
      (wanted.length >= MIN_FRAGMENT && candidate.includes(wanted)) ||
      (series.length >= MIN_FRAGMENT && seriesOf(candidate) === series)
    );
  });
  return closestMatches(symbol, matches, 1)[0];
}

function seriesOf(ticker: string): string {
  const dash = ticker.indexOf("-");
  return dash < 0 ? "" : ticker.slice(0, dash);
}
