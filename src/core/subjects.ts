/**
 * NATS subject construction (contract: ARCHITECTURE.md §3).
 *   {prefix}.json.{channel}.{ticker}   market data
 *   {prefix}.status.{kind}             connector status, gap and disconnect records
 *   {prefix}.secmaster.{ticker}        security-master change events
 * A ticker token never contains '.', '*', '>' or whitespace: '.' becomes '_'.
 */
export type SubjectChannel = "trade" | "ticker" | "orderbook" | "lifecycle";
export const SUBJECT_CHANNELS: readonly SubjectChannel[] = ["trade", "ticker", "orderbook", "lifecycle"];

export type StatusKind = "gap" | "disconnect" | "dlq" | "connector";

const UNSAFE_TOKEN = /[.*>\s]/g;

/** Kalshi ticker → subject token: `T72999.99` → `T72999_99`. */
export function tickerToken(ticker: string): string {
  return ticker.replace(UNSAFE_TOKEN, "_");
}

/** Default subject prefix for an environment: `{env}.{feed}` unless the environment sets one. */
export function defaultPrefix(envName: string, feedName: string): string {
  return `${envName}.${feedName}`;
}

export function dataSubject(prefix: string, channel: SubjectChannel, ticker: string): string {
  return `${prefix}.json.${channel}.${tickerToken(ticker)}`;
}

export function statusSubject(prefix: string, kind: StatusKind): string {
  return `${prefix}.status.${kind}`;
}

export function secmasterSubject(prefix: string, ticker: string): string {
  return `${prefix}.secmaster.${tickerToken(ticker)}`;
}

/** Everything under a prefix: the stream's subject filter. */
export function streamWildcard(prefix: string): string {
  return `${prefix}.>`;
}

export interface ParsedSubject {
  prefix: string;
  kind: "json" | "status" | "secmaster";
  /** channel for json subjects, status kind for status subjects, "" for secmaster */
  channel: string;
  /** ticker token ('.' already written as '_'); "" for status subjects */
  token: string;
}

/**
 * Splits a subject into its parts, given the prefix it was published under.
 * Returns undefined for subjects that are not ssmd's.
 */
export function parseSubject(subject: string, prefix: string): ParsedSubject | undefined {
  if (!subject.startsWith(`${prefix}.`)) return undefined;
  const rest = subject.slice(prefix.length + 1).split(".");
  const [kind, a, b] = rest;
  if (kind === "json" && a && b && rest.length === 3) return { prefix, kind, channel: a, token: b };
  if (kind === "status" && a && rest.length === 2) return { prefix, kind, channel: a, token: "" };
  if (kind === "secmaster" && a && rest.length === 2) return { prefix, kind, channel: "", token: a };
  return undefined;
}

/** Channel and token of a data subject without knowing its prefix (last two tokens after "json"). */
export function channelAndToken(subject: string): { channel: string; token: string } | undefined {
  const last = subject.lastIndexOf(".");
  if (last < 0) return undefined;
  const previous = subject.lastIndexOf(".", last - 1);
  const json = subject.lastIndexOf(".", previous - 1);
  if (previous < 0 || subject.slice(json + 1, previous) !== "json") return undefined;
  return { channel: subject.slice(previous + 1, last), token: subject.slice(last + 1) };
}
