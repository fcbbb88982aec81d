/**
 * The error for unknown symbols: each gets the nearest known ticker ("did you mean"), found by
 * edit distance among the markets the gateway has seen. Only the first few get a suggestion
 * (the search is linear in the number of markets).
 */
import { closestMatches, suggest } from "../../core/suggest.js";

const MAX_SUGGESTIONS = 20;

export function unknownSymbols(
  unknown: string[],
  known: string[],
): { message: string; suggestions: Record<string, string> } {
  const suggestions: Record<string, string> = {};
  for (const symbol of unknown.slice(0, MAX_SUGGESTIONS)) {
    const hint = suggest(symbol, known) ?? closestMatches(symbol, known, 1)[0];
    if (hint !== undefined) suggestions[symbol] = hint;
  }
  const hints = Object.entries(suggestions).map(([symbol, hint]) => `'${symbol}': did you mean '${hint}'?`);
  const message = `unknown symbol(s) ${unknown.join(", ")}${hints.length > 0 ? ` (${hints.join("; ")})` : ""}`;
  return { message, suggestions };
}
