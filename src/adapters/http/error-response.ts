/** The one place that turns typed errors into HTTP responses: {"error":{"code","message"}}. */
import type { ServerResponse } from "node:http";
import { type ErrorCode, isSsmdError } from "../../core/errors.js";

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 400,
  PARSE: 400,
  NOT_FOUND: 404,
  AUTH: 401,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  CONFIG: 500,
  PROTOCOL: 502,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: string[] };
}

export function errorToHttp(error: unknown): { status: number; body: ErrorBody } {
  if (isSsmdError(error)) {
    const details = error.details.length > 0 ? { details: error.details } : {};
    return {
      status: STATUS_BY_CODE[error.code],
      body: { error: { code: error.code, message: error.message, ...details } },
    };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "internal error" } } };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const { status, body } = errorToHttp(error);
  sendJson(res, status, body);
}
