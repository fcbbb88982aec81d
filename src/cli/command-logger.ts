/** A command's logger: the level from LOG_LEVEL (RUST_LOG accepted), JSON lines to `out`. */
import { createLogger, type Logger, type LogLevel, parseLogLevel } from "../adapters/log.js";
import type { CliContext } from "./context.js";

export interface CommandLoggerOptions {
  /** Where lines go; default stdout (one-shot commands whose stdout is their output use stderr). */
  out?: NodeJS.WritableStream;
  /** Level when neither variable is set; default info. */
  defaultLevel?: LogLevel;
}

export function commandLogger(
  ctx: CliContext,
  component: string,
  options: CommandLoggerOptions = {},
): Logger {
  const text = ctx.env.LOG_LEVEL ?? ctx.env.RUST_LOG;
  const out = options.out ?? ctx.stdout;
  return createLogger(component, {
    level: text === undefined ? (options.defaultLevel ?? "info") : parseLogLevel(text),
    write: (line) => out.write(line),
  });
}
