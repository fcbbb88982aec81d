/** Small zod building blocks shared by the feed, schema and environment file rules. */
import { z } from "zod";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export const isoDate = z.string().refine(isIsoDate, { message: "must be a date written YYYY-MM-DD" });

export const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time written HH:MM" });

export const nonEmpty = z.string().min(1, { message: "must not be empty" });

export const fileName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "must be lower-case letters, digits, '.', '_' or '-'" });

export function url(protocols: readonly string[]) {
  return z.string().refine((text) => hasProtocol(text, protocols), {
    message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(" or ")}`,
  });
}

export function hasProtocol(text: string, protocols: readonly string[]): boolean {
  try {
    const parsed = new URL(text);
    return protocols.includes(parsed.protocol.replace(/:$/, ""));
  } catch {
    return false;
  }
}

/** `name:version`, e.g. `trade:v1`. */
export const SCHEMA_REF = /^([a-z0-9][a-z0-9_-]*):([A-Za-z0-9][A-Za-z0-9._-]*)$/;

export function splitSchemaRef(ref: string): { name: string; version: string } | undefined {
  const match = SCHEMA_REF.exec(ref);
  return match ? { name: match[1] ?? "", version: match[2] ?? "" } : undefined;
}

/** Two half-open date windows [from, to) overlap (a missing `to` is open-ended). */
export function windowsOverlap(
  a: { effective_from: string; effective_to?: string | undefined },
  b: { effective_from: string; effective_to?: string | undefined },
): boolean {
  const aEnd = a.effective_to ?? "9999-12-31";
  const bEnd = b.effective_to ?? "9999-12-31";
  return a.effective_from < bEnd && b.effective_from < aEnd;
}
