/**
 * Fault injection vocabulary and the `--faults` schedule grammar:
 *
 *   SPEC   := ITEM ("," ITEM)*
 *   ITEM   := KIND [":" ARG] "@" AT ["+" EVERY]
 *   AT, EVERY, duration ARG := <number>("ms"|"s"|"m")
 *
 * e.g. `disconnect@30s,skip_seq@10s+20s,stall:40s@1m,format_switch:current@45s`.
 * ARG is a duration for stall (default 35s), slow_start (3s) and rest_429 (5s), and the target
 * format for format_switch (default current). Times count from the simulator's start.
 */
import { ValidationError } from "../../core/errors.js";
import type { WireFormat } from "../../core/kalshi/types.js";
import { suggest } from "../../core/suggest.js";

export const FAULT_KINDS = [
  "disconnect",
  "skip_seq",
  "duplicate_seq",
  "seq_reset",
  "malformed",
  "stall",
  "slow_start",
  "rest_429",
  "format_switch",
  "buffer_overflow",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultCommand {
  kind: FaultKind;
  /** stall / slow_start / rest_429: how long. */
  durationMs?: number;
  /** format_switch: the format to switch to (default current). */
  format?: WireFormat;
}

export interface ScheduledFault {
  fault: FaultCommand;
  atMs: number;
  /** Repeat period, or undefined for once. */
  everyMs: number | undefined;
}

export const DEFAULT_DURATION_MS: Partial<Record<FaultKind, number>> = {
  stall: 35_000,
  slow_start: 3_000,
  rest_429: 5_000,
};

export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!match) return undefined;
  const scale = match[2] === "ms" ? 1 : match[2] === "s" ? 1000 : 60_000;
  return Math.round(Number(match[1]) * scale);
}

/** Validates a fault from the control endpoint or the schedule; throws ValidationError. */
export function toFault(kind: unknown, arg: unknown): FaultCommand {
  if (typeof kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    const suggestion = typeof kind === "string" ? suggest(kind, FAULT_KINDS) : undefined;
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : "";
    throw new ValidationError(`unknown fault '${String(kind)}'.${hint}`, [
      `valid faults: ${FAULT_KINDS.join(", ")}`,
    ]);
  }
  const fault: FaultCommand = { kind: kind as FaultKind };
  if (arg === undefined || arg === "") return fault;
  if (fault.kind === "format_switch") {
    if (arg !== "legacy" && arg !== "current")
      throw new ValidationError(`format_switch takes legacy|current, got '${String(arg)}'`);
    fault.format = arg;
    return fault;
  }
  if (!(fault.kind in DEFAULT_DURATION_MS))
    throw new ValidationError(`fault ${fault.kind} takes no argument`);
  const duration = typeof arg === "number" ? arg : typeof arg === "string" ? parseDuration(arg) : undefined;
  if (duration === undefined || duration < 0)
    throw new ValidationError(`bad duration '${String(arg)}' for ${fault.kind}`);
  fault.durationMs = duration;
  return fault;
}

export function parseFaultSpec(spec: string): ScheduledFault[] {
  const problems: string[] = [];
  const scheduled: ScheduledFault[] = [];
  for (const item of spec
    .split(",")
    .map((text) => text.trim())
    .filter(Boolean)) {
    const match = /^([a-z_0-9]+)(?::([^@]+))?@([^+]+)(?:\+(.+))?$/.exec(item);
    if (!match) {
      problems.push(`'${item}': expected KIND[:ARG]@TIME[+EVERY], e.g. disconnect@30s`);
      continue;
    }
    const [, kind, arg, at, every] = match;
    const atMs = parseDuration(at ?? "");
    const everyMs = every === undefined ? undefined : parseDuration(every);
    if (atMs === undefined) problems.push(`'${item}': bad time '${at}' (use 500ms, 30s, 2m)`);
    if (every !== undefined && (everyMs === undefined || everyMs <= 0))
      problems.push(`'${item}': bad repeat '${every}'`);
    try {
      const fault = toFault(kind, arg);
      if (atMs !== undefined) scheduled.push({ fault, atMs, everyMs });
    } catch (error) {
      problems.push(`'${item}': ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new ValidationError("invalid --faults schedule", problems);
  return scheduled;
}
