/**
 * Maps nats.js errors to ssmd's typed errors: connection trouble → UnavailableError, a JetStream
 * API refusal of a stream/consumer config → ConfigError, a missing stream → NotFoundError.
 */
import {
  ConfigError,
  errorMessage,
  NotFoundError,
  SsmdError,
  UnavailableError,
  ValidationError,
} from "../../core/errors.js";

export const JS_STREAM_NOT_FOUND = 10059;
export const JS_CONSUMER_NOT_FOUND = 10014;
export const JS_MESSAGE_NOT_FOUND = 10037;

interface NatsErrorShape {
  code?: unknown;
  api_error?: { code?: number; err_code?: number; description?: string };
}

function shape(error: unknown): NatsErrorShape {
  return typeof error === "object" && error !== null ? (error as NatsErrorShape) : {};
}

/** The JetStream API error code (err_code) carried by a nats.js error, if any. */
export function apiErrorCode(error: unknown): number | undefined {
  return shape(error).api_error?.err_code;
}

/** Translates any error thrown by nats.js into an SsmdError; `what` says what we were doing. */
export function mapNatsError(error: unknown, what: string, stream?: string): SsmdError {
  if (error instanceof SsmdError) return error;
  const { code, api_error: api } = shape(error);
  if (api?.err_code === JS_STREAM_NOT_FOUND && stream) return new NotFoundError("stream", stream);
  if (api) return new ConfigError(`${what}: ${api.description ?? errorMessage(error)}`, { cause: error });
  // The message itself is refused (larger than the server's max_payload): retrying cannot help.
  if (code === "MAX_PAYLOAD_EXCEEDED")
    return new ValidationError(`${what}: ${errorMessage(error)}`, [], { cause: error });
  if (code === "503") {
    return new UnavailableError(`${what}: no JetStream stream answered (missing stream or JetStream down)`, {
      cause: error,
    });
  }
  // Everything else from the client is connection trouble (refused, closed, draining, timeout):
  // the caller may retry once the connection is back.
  return new UnavailableError(`${what}: ${errorMessage(error)}`, { cause: error });
}
