/**
 * Typed errors shared by every layer. One place (cli/exit.ts for the CLI, adapters/http/errors.ts
 * for HTTP) maps them to exit codes and responses. Never throw plain Error across a module edge.
 */
export type ErrorCode =
  | "VALIDATION"
  | "NOT_FOUND"
  | "CONFIG"
  | "PARSE"
  | "PROTOCOL"
  | "AUTH"
  | "UNAVAILABLE"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "TIMEOUT"
  | "INTERNAL";

export interface ErrorOptions {
  cause?: unknown;
  /** Extra lines for a human: the list of problems, valid names, hints. */
  details?: string[];
}

export class SsmdError extends Error {
  readonly code: ErrorCode;
  readonly details: string[];
  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? [];
  }
}

/** Input (config, request, file) does not satisfy the rules. `problems` lists every one. */
export class ValidationError extends SsmdError {
  constructor(message: string, problems: string[] = [], options: ErrorOptions = {}) {
    super("VALIDATION", message, { ...options, details: problems });
  }
  get problems(): string[] {
    return this.details;
  }
}

/** A named thing does not exist. Carries the valid names and the closest suggestion. */
export class NotFoundError extends SsmdError {
  readonly kind: string;
  readonly wanted: string;
  readonly suggestion: string | undefined;
  readonly valid: string[];
  constructor(kind: string, wanted: string, valid: string[] = [], suggestion?: string) {
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : "";
    const list = valid.length > 0 ? [`valid ${kind}s: ${valid.join(", ")}`] : [];
    super("NOT_FOUND", `unknown ${kind} '${wanted}'.${hint}`, { details: list });
    this.kind = kind;
    this.wanted = wanted;
    this.suggestion = suggestion;
    this.valid = valid;
  }
}

export class ConfigError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("CONFIG", message, options);
  }
}

/** Bytes that do not parse as the expected shape (a frame, a line, a YAML file). */
export class ParseError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("PARSE", message, options);
  }
}

/** A peer broke the protocol (unexpected reply, error frame from the exchange). */
export class ProtocolError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("PROTOCOL", message, options);
  }
}

export class AuthError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("AUTH", message, options);
  }
}

/** A dependency (NATS, PostgreSQL, S3, Kalshi) cannot be reached. */
export class UnavailableError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("UNAVAILABLE", message, options);
  }
}

export class ConflictError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("CONFLICT", message, options);
  }
}

export class RateLimitedError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("RATE_LIMITED", message, options);
  }
}

export class TimeoutError extends SsmdError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("TIMEOUT", message, options);
  }
}

export function isSsmdError(value: unknown): value is SsmdError {
  return value instanceof SsmdError;
}

/** Text of any thrown value, for logs. Never includes a stack. */
export function errorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  return String(value);
}
