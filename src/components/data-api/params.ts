/**
 * Validation of every user-supplied dataset parameter (HTTP query/path and CLI flags alike):
 * feed names, dates, times, limits, message types. Bad input → ValidationError naming the field.
 */
import { isArchiveDate, isFeedName } from "../../adapters/archive-reader/archive-layout.js";
import { ValidationError } from "../../core/errors.js";
import { TYPES_BY_CHANNEL } from "../../core/kalshi/parse-channel.js";
import { SUBJECT_CHANNELS, type SubjectChannel } from "../../core/subjects.js";

export const MAX_SAMPLE_LIMIT = 1000;
export const DEFAULT_SAMPLE_LIMIT = 10;

/** Every Kalshi message type that can appear in `type` of archived frames. */
export const MESSAGE_TYPES = Object.values(TYPES_BY_CHANNEL).flat();

export function parseFeedName(text: string | undefined, field = "feed"): string {
  if (text === undefined || text === "") throw new ValidationError(`${field} is required`);
  if (!isFeedName(text)) {
    throw new ValidationError(`invalid ${field} '${clip(text)}'`, [
      "letters, digits, '-' and '_' only (max 64)",
    ]);
  }
  return text;
}

export function parseDate(text: string | undefined, field = "date"): string {
  if (text === undefined || text === "") throw new ValidationError(`${field} is required (YYYY-MM-DD)`);
  if (!isArchiveDate(text))
    throw new ValidationError(`invalid ${field} '${clip(text)}': expected YYYY-MM-DD`);
  return text;
}

export function parseOptionalDate(text: string | undefined, field: string): string | undefined {
  return text === undefined || text === "" ? undefined : parseDate(text, field);
}

export function parseLimit(
  text: string | undefined,
  fallback = DEFAULT_SAMPLE_LIMIT,
  max = MAX_SAMPLE_LIMIT,
) {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(`invalid limit '${clip(text)}': a positive integer`);
  }
  return Math.min(value, max);
}

/** A message-type filter: a channel ("orderbook") or a Kalshi type ("orderbook_delta"). */
export interface TypeFilter {
  channels?: SubjectChannel[];
  types?: string[];
}

export function parseTypeFilter(text: string | undefined): TypeFilter {
  if (text === undefined || text === "") return {};
  const channels: SubjectChannel[] = [];
  const types: string[] = [];
  for (const part of text.split(",")) {
    if ((SUBJECT_CHANNELS as readonly string[]).includes(part)) channels.push(part as SubjectChannel);
    else if (MESSAGE_TYPES.includes(part)) types.push(part);
    else {
      throw new ValidationError(`invalid type '${clip(part)}'`, [
        `channels: ${SUBJECT_CHANNELS.join(", ")}`,
        `message types: ${MESSAGE_TYPES.join(", ")}`,
      ]);
    }
  }
  if (types.length > 0 && channels.length > 0) {
    for (const channel of channels) types.push(...TYPES_BY_CHANNEL[channel]);
    return { types };
  }
  return types.length > 0 ? { types } : { channels };
}

const TICKER = /^[A-Za-z0-9._-]{1,100}$/;

export function parseTickers(text: string | undefined): string[] | undefined {
  if (text === undefined || text === "") return undefined;
  const tickers = text.split(",");
  for (const ticker of tickers) {
    if (!TICKER.test(ticker)) throw new ValidationError(`invalid ticker '${clip(ticker)}'`);
  }
  return tickers;
}

/**
 * A time within `date` (UTC): "HH:MM", "HH:MM:SS", an ISO timestamp, or Unix µs/ms/s digits.
 * Returns Unix µs.
 */
export function parseTimeOfDay(text: string | undefined, date: string | undefined, field: string) {
  if (text === undefined || text === "") return undefined;
  if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(text)) {
    if (!date) throw new ValidationError(`${field} '${text}' needs a date`);
    const [h, m, s] = text.split(":").map(Number) as [number, number, number | undefined];
    const pastDay = h > 24 || (h === 24 && (m > 0 || (s ?? 0) > 0));
    if (pastDay || m > 59 || (s ?? 0) > 59) throw new ValidationError(`invalid ${field} '${text}'`);
    return Date.parse(`${date}T00:00:00Z`) * 1000 + ((h * 60 + m) * 60 + (s ?? 0)) * 1_000_000;
  }
  if (/^\d{10,16}$/.test(text)) {
    const value = Number(text);
    if (text.length <= 10) return value * 1_000_000;
    if (text.length <= 13) return value * 1000;
    return value;
  }
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || !Number.isFinite(ms)) {
    throw new ValidationError(`invalid ${field} '${clip(text)}'`, [
      "use HH:MM, an ISO timestamp or Unix seconds/ms/µs",
    ]);
  }
  return ms * 1000;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
