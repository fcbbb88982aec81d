/**
 * Structured JSON logs on stdout: {"level","ts","component","msg",...fields}.
 * Secrets never appear: fields whose names look secret are replaced by "[redacted]".
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const SECRET_KEY = /(private[_-]?key|secret|password|passwd|token|signature|api[_-]?key|authorization)/i;

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(component: string): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default process.stdout. */
  write?: (line: string) => void;
}

/** Accepts LOG_LEVEL / RUST_LOG spellings ("info", "INFO", "warning", "ssmd=debug"). */
export function parseLogLevel(text: string | undefined): LogLevel {
  if (!text) return "info";
  const value = (text.includes("=") ? text.split("=").pop()! : text).trim().toLowerCase();
  if (value === "warning") return "warn";
  if (value === "trace") return "debug";
  if (value === "off" || value === "none") return "silent";
  return value in RANK ? (value as LogLevel) : "info";
}

export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = "[redacted]";
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else out[key] = value;
  }
  return out;
}

export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const emit = (lineLevel: Exclude<LogLevel, "silent">, msg: string, fields?: LogFields) => {
    if (RANK[lineLevel] < RANK[level]) return;
    const record = {
      level: lineLevel,
      ts: new Date().toISOString(),
      component,
      msg,
      ...redact(fields ?? {}),
    };
    write(`${JSON.stringify(record)}\n`);
  };
  return {
    level,
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (name) => createLogger(name, options),
  };
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger: Logger = createLogger("silent", { level: "silent" });
