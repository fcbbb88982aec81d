/**
 * The one place that turns errors into CLI exit codes and messages.
 * Exit codes: 0 ok, 1 validation/not-found/conflict (the input is wrong), 2 usage,
 * 3 unavailable dependency or timeout, 4 auth, 5 config (also a port that cannot be listened on),
 * 70 internal (a bug).
 */
import { type ErrorCode, isSsmdError } from "../core/errors.js";
import type { CliContext } from "./context.js";
import { paint } from "./output.js";

const EXIT_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION: 1,
  NOT_FOUND: 1,
  CONFLICT: 1,
  PARSE: 1,
  PROTOCOL: 3,
  UNAVAILABLE: 3,
  TIMEOUT: 3,
  RATE_LIMITED: 3,
  AUTH: 4,
  CONFIG: 5,
  INTERNAL: 70,
};

export const EXIT_USAGE = 2;

export function reportError(ctx: CliContext, error: unknown): number {
  if (isSsmdError(error)) {
    ctx.stderr.write(`${paint(ctx, "red", "error:")} ${error.message}\n`);
    for (const line of error.details) ctx.stderr.write(`  - ${line}\n`);
    return EXIT_BY_CODE[error.code];
  }
  const listen = listenProblem(error);
  if (listen) {
    ctx.stderr.write(`${paint(ctx, "red", "error:")} ${listen}\n`);
    return EXIT_BY_CODE.CONFIG;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr.write(`${paint(ctx, "red", "internal error:")} ${message}\n`);
  if (ctx.env.SSMD_DEBUG && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  return EXIT_BY_CODE.INTERNAL;
}

/** A server that could not listen (port taken, not allowed): the setup is wrong, not ssmd. */
function listenProblem(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as { syscall?: string }).syscall !== "listen") return undefined;
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  const where = port === undefined ? "" : ` ${address ?? ""}:${port}`;
  if (code === "EADDRINUSE")
    return `cannot listen on${where}: the port is already in use (choose another port)`;
  if (code === "EACCES") return `cannot listen on${where}: permission denied (use a port above 1023)`;
  if (code === "EADDRNOTAVAIL") return `cannot listen on${where}: no such local address`;
  return undefined;
}
