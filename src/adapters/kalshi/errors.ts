/**
 * Kalshi-specific typed errors. Both extend the shared core errors, so the CLI and HTTP layers
 * map them without knowing Kalshi: a command error is a ProtocolError, HTTP failures become the
 * matching core class (404 → NotFoundError, 401/403 → AuthError, 429 → RateLimitedError, ...).
 */
import {
  AuthError,
  NotFoundError,
  ProtocolError,
  RateLimitedError,
  type SsmdError,
  UnavailableError,
  ValidationError,
} from "../../core/errors.js";

/**
 * The exchange answered a WebSocket command with `{"type":"error"}`. `kalshiCode` is Kalshi's
 * numeric code (PROTOCOL.md §2.6, see KalshiErrorCode in core/kalshi/types.ts); `code` stays
 * the shared "PROTOCOL" so exit codes and HTTP mapping keep working.
 */
export class KalshiCommandError extends ProtocolError {
  readonly kalshiCode: number;
  readonly kalshiMessage: string;
  readonly marketTicker: string | undefined;
  readonly command: string;
  readonly commandId: number;
  constructor(
    command: string,
    commandId: number,
    kalshiCode: number,
    kalshiMessage: string,
    marketTicker?: string,
  ) {
    const market = marketTicker ? ` (market ${marketTicker})` : "";
    super(`Kalshi rejected ${command} #${commandId}: code ${kalshiCode} ${kalshiMessage}${market}`);
    this.kalshiCode = kalshiCode;
    this.kalshiMessage = kalshiMessage;
    this.marketTicker = marketTicker;
    this.command = command;
    this.commandId = commandId;
  }
}

/** What a 404 means for this call: which kind of thing was asked for, by which name. */
export interface NotFoundHint {
  kind: string;
  wanted: string;
}

/** Turns a final (non-retried or retries-exhausted) HTTP failure into a typed error. */
export function httpStatusError(
  status: number,
  path: string,
  serverMessage: string | undefined,
  notFound?: NotFoundHint,
): SsmdError {
  const said = serverMessage ? `: ${serverMessage}` : "";
  if (status === 404) return new NotFoundError(notFound?.kind ?? "Kalshi route", notFound?.wanted ?? path);
  if (status === 401 || status === 403) {
    return new AuthError(
      `Kalshi refused ${path} with HTTP ${status}${said} (check the API key id and private key)`,
    );
  }
  if (status === 429)
    return new RateLimitedError(`Kalshi rate limit on ${path} persisted after retries${said}`);
  if (status === 400 || status === 422)
    return new ValidationError(`Kalshi rejected the request to ${path}${said}`);
  if (status >= 500 || status === 408)
    return new UnavailableError(`Kalshi answered HTTP ${status} on ${path}${said}`);
  return new ProtocolError(`Kalshi answered HTTP ${status} on ${path}${said}`);
}
