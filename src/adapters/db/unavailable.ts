/**
 * Which driver errors mean "the database cannot be reached" (one clear UnavailableError for the
 * user) rather than a bad statement. Connection URLs are shown without their password.
 */
import { UnavailableError } from "../../core/errors.js";

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "28P01", // invalid_password
  "28000", // invalid_authorization_specification
  "3D000", // invalid_catalog_name: database does not exist
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  const nested = (error as { errors?: unknown }).errors;
  return Array.isArray(nested) ? codeOf(nested[0]) : undefined;
}

export function isConnectionError(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && CONNECTION_CODES.has(code)) return true;
  const message = error instanceof Error ? error.message : "";
  return /Connection terminated|connect ECONNREFUSED|timeout expired/i.test(message);
}

export function unavailable(location: string, error: unknown): UnavailableError {
  const reason = error instanceof Error && error.message ? error.message : String(error);
  return new UnavailableError(`secmaster database unreachable at ${location}: ${reason}`, {
    cause: error,
    details: ["check that PostgreSQL is running and the environment's secmaster.url is right"],
  });
}

/** postgres://user:secret@host/db → postgres://user@host/db */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    url.password = "";
    return url.toString();
  } catch {
    return text.replace(/:[^:@/]*@/, "@");
  }
}
