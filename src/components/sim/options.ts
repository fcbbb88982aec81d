/** SimOptions: what startSimulator takes, with defaults and validation in one place. */
import type { Logger } from "../../adapters/log.js";
import { ValidationError } from "../../core/errors.js";
import type { WireFormat } from "../../core/kalshi/types.js";
import type { SessionLimits } from "./ws-session.js";

export interface SimOptions {
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /** Markets listed and trading at any time (closed ones are replaced). */
  markets?: number;
  seed?: number;
  /** Market-data messages per second overall; 0 = only when stepped (control /step or step()). */
  rate?: number;
  format?: WireFormat;
  auth?: "required" | "optional";
  /** Write/reuse DIR/api-key and DIR/private-key.pem. Without it a key pair lives in memory. */
  keysDir?: string;
  /** Fault schedule (fault-spec.ts grammar). */
  faults?: string;
  /** Simulated clock start (Unix ms); default now. */
  startTimeMs?: number;
  /** Keep every frame sent, per connection (tests). */
  record?: boolean;
  logger?: Logger;
  /** Simulated ms between lifecycle steps (a market closes/determines/settles, one is listed). */
  lifecycleIntervalMs?: number;
  pingIntervalMs?: number;
  /** REST token bucket: requests per second (burst = 2 s worth). */
  restRate?: number;
  limits?: Partial<SessionLimits>;
}

export type ResolvedSimOptions = Required<Omit<SimOptions, "keysDir" | "faults" | "logger" | "limits">> & {
  keysDir: string | undefined;
  faults: string | undefined;
  limits: SessionLimits;
};

export const DEFAULT_LIMITS: SessionLimits = {
  maxMarketsPerSubscription: 1000,
  commandsPerSecond: 1000,
  maxQueuedFrames: 100_000,
  highWaterBytes: 1 << 20,
};

function check(problems: string[], ok: boolean, problem: string): void {
  if (!ok) problems.push(problem);
}

export function resolveSimOptions(options: SimOptions, nowMs: number): ResolvedSimOptions {
  const resolved: ResolvedSimOptions = {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    markets: options.markets ?? 50,
    seed: options.seed ?? 1,
    rate: options.rate ?? 100,
    format: options.format ?? "current",
    auth: options.auth ?? "required",
    keysDir: options.keysDir,
    faults: options.faults,
    startTimeMs: options.startTimeMs ?? nowMs,
    record: options.record ?? false,
    lifecycleIntervalMs: options.lifecycleIntervalMs ?? 60_000,
    pingIntervalMs: options.pingIntervalMs ?? 10_000,
    restRate: options.restRate ?? 100,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
  };
  const problems: string[] = [];
  const { port, markets, seed, rate, format, auth, lifecycleIntervalMs, pingIntervalMs, restRate } = resolved;
  check(problems, Number.isInteger(port) && port >= 0 && port < 65536, `port must be 0..65535, got ${port}`);
  check(
    problems,
    Number.isInteger(markets) && markets >= 1 && markets <= 100_000,
    `markets must be 1..100000, got ${markets}`,
  );
  check(problems, Number.isInteger(seed), `seed must be an integer, got ${seed}`);
  check(
    problems,
    Number.isFinite(rate) && rate >= 0 && rate <= 10_000_000,
    `rate must be 0..10000000 msgs/s, got ${rate}`,
  );
  check(
    problems,
    format === "current" || format === "legacy",
    `format must be current|legacy, got ${format}`,
  );
  check(problems, auth === "required" || auth === "optional", `auth must be required|optional, got ${auth}`);
  check(problems, lifecycleIntervalMs >= 1, "lifecycleIntervalMs must be ≥ 1");
  check(problems, pingIntervalMs >= 10, "pingIntervalMs must be ≥ 10");
  check(problems, restRate > 0, "restRate must be > 0");
  for (const [key, value] of Object.entries(resolved.limits)) {
    check(problems, Number.isInteger(value) && value > 0, `limits.${key} must be a positive integer`);
  }
  if (problems.length > 0) throw new ValidationError("invalid simulator options", problems);
  return resolved;
}
