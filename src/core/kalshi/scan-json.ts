/**
 * Low-level scanning of JSON text for the frame-header scan (scan-frame.ts): character codes,
 * string/number/value ends and an object walk over a string, by index, without JSON.parse and
 * without building objects. Nothing here validates JSON; -1 or undefined means "not what was
 * expected here".
 */
export const QUOTE = 34;
const BACKSLASH = 92;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
export const COMMA = 44;
export const COLON = 58;

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

export function skipSpace(text: string, pos: number): number {
  while (isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** pos at an opening quote → index after the closing quote, or -1 when unterminated. */
export function stringEnd(text: string, pos: number): number {
  let from = pos + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The string token from `start` (opening quote) to `end` (after the closing quote), decoded. */
function stringValue(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start + 1, end - 1);
  if (!raw.includes("\\")) return raw;
  try {
    const value: unknown = JSON.parse(text.slice(start, end));
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The string value starting at `start`, or undefined when it is not a string. */
export function stringAt(text: string, start: number): string | undefined {
  if (text.charCodeAt(start) !== QUOTE) return undefined;
  const end = stringEnd(text, start);
  return end < 0 ? undefined : stringValue(text, start, end);
}

/** A non-negative integer spanning start..end (trailing spaces allowed), else undefined. */
export function integerValue(text: string, start: number, end: number): number | undefined {
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end <= start || end - start > 24) return undefined;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return numberTokenValue(text.slice(start, end));
    value = value * 10 + digit;
  }
  return Number.isSafeInteger(value) ? value : undefined;
}

const JSON_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Rare spellings JSON allows for an integer (12e3, 7.0) — what JSON.parse would make of them. */
function numberTokenValue(token: string): number | undefined {
  if (!JSON_NUMBER.test(token)) return undefined;
  const value = Number(token);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** pos at any value → index just after it, or -1 when the text ends first. */
export function valueEnd(text: string, pos: number): number {
  const code = text.charCodeAt(pos);
  if (code === QUOTE) return stringEnd(text, pos);
  if (code === OPEN_BRACE || code === OPEN_BRACKET) return nestedEnd(text, pos);
  for (let index = pos; index < text.length; index++) {
    const next = text.charCodeAt(index);
    if (next === COMMA || next === CLOSE_BRACE || next === CLOSE_BRACKET) return index;
  }
  return -1;
}

function nestedEnd(text: string, pos: number): number {
  let depth = 0;
  for (let index = pos; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = stringEnd(text, index) - 1;
      if (index < 0) return -1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * Walks the object at `pos`: for each member, `visit(keyStart, keyEnd, valueStart)` returns where
 * the value ends. Returns the index after the closing brace, or -1 when it is not an object.
 */
export function walkObject(
  text: string,
  pos: number,
  visit: (keyStart: number, keyEnd: number, valueStart: number) => number,
): number {
  if (text.charCodeAt(pos) !== OPEN_BRACE) return -1;
  pos = skipSpace(text, pos + 1);
  if (text.charCodeAt(pos) === CLOSE_BRACE) return pos + 1;
  for (;;) {
    if (text.charCodeAt(pos) !== QUOTE) return -1;
    const keyEnd = stringEnd(text, pos);
    if (keyEnd < 0) return -1;
    const colon = skipSpace(text, keyEnd);
    if (text.charCodeAt(colon) !== COLON) return -1;
    const end = visit(pos, keyEnd, skipSpace(text, colon + 1));
    if (end < 0) return -1;
    pos = skipSpace(text, end);
    const next = text.charCodeAt(pos);
    if (next === CLOSE_BRACE) return pos + 1;
    if (next !== COMMA) return -1;
    pos = skipSpace(text, pos + 1);
  }
}

/** True when the key token keyStart..keyEnd (with quotes) is exactly `name`. */
export function isKey(text: string, keyStart: number, keyEnd: number, name: string): boolean {
  return keyEnd - keyStart - 2 === name.length && text.startsWith(name, keyStart + 1);
}

/**
 * Where `"key":` starts a value between `from` and `limit`, or -1. A quoted key cannot occur
 * inside a string value (its quotes would be escaped); an equal string value is told apart by the
 * colon that must follow a key.
 */
export function memberValueStart(text: string, quotedKey: string, from: number, limit: number): number {
  for (;;) {
    const at = text.indexOf(quotedKey, from);
    if (at < 0 || at >= limit) return -1;
    const colon = skipSpace(text, at + quotedKey.length);
    if (text.charCodeAt(colon) === COLON) return skipSpace(text, colon + 1);
    from = at + 1;
  }
}

export function stringMember(
  text: string,
  quotedKey: string,
  from: number,
  limit: number,
): string | undefined {
  const start = memberValueStart(text, quotedKey, from, limit);
  return start < 0 ? undefined : stringAt(text, start);
}

export function digitsEnd(text: string, pos: number): number {
  let code = text.charCodeAt(pos);
  while (code >= 48 && code <= 57) code = text.charCodeAt(++pos);
  return pos;
}
