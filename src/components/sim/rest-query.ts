/**
 * Query-string validation for the REST routes. Bad values raise a RestError that becomes
 * Kalshi's 400 body `{"code":"invalid_parameters","message":...}`.
 */
export class RestError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

export function badParam(name: string, why: string): RestError {
  return new RestError(400, "invalid_parameters", `${name}: ${why}`);
}

export function intParam(
  query: URLSearchParams,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw badParam(name, `must be an integer in ${min}..${max}`);
  return value;
}

/** Unix seconds, or undefined when absent. */
export function secondsParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw badParam(name, "must be Unix seconds");
  return value;
}

/** Comma-separated list (and repeated keys), or undefined when absent. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query
    .getAll(name)
    .flatMap((text) => text.split(","))
    .map((text) => text.trim())
    .filter(Boolean);
  return values.length > 0 ? values : undefined;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const text = query.get(name);
  if (text === null || text === "" || text === "false") return false;
  if (text === "true") return true;
  throw badParam(name, "must be true or false");
}

/** Opaque cursor around a position number. */
export function encodeCursor(kind: string, position: number): string {
  return Buffer.from(`${kind}:${position}`).toString("base64url");
}

export function decodeCursor(query: URLSearchParams, kind: string): number | undefined {
  const text = query.get("cursor");
  if (text === null || text === "") return undefined;
  const decoded = Buffer.from(text, "base64url").toString();
  const [prefix, position] = decoded.split(":");
  const value = Number(position);
  if (prefix !== kind || !Number.isInteger(value) || value < 0)
    throw badParam("cursor", "is not a cursor from this endpoint");
  return value;
}
