/**
 * `ssmd demo`'s plain configuration: the simulator's size and rate, where the archive goes,
 * and the names (feed, subject prefix, stream) the pipeline uses. Validated once, here.
 */
import { parseInterval } from "../../core/archive-paths.js";
import { ValidationError } from "../../core/errors.js";

export interface DemoConfig {
  /** Archive root (absolute). Files land under {dir}/{feed}/{YYYY-MM-DD}/. */
  dir: string;
  markets: number;
  /** Simulator market-data messages per second. */
  rate: number;
  seed: number;
  /** Archive rotation interval, e.g. "1m". */
  rotation: string;
  feed: string;
  prefix: string;
  stream: string;
  /** How long the stream keeps messages (the in-process bus holds them in memory). */
  retentionMs: number;
  /** Where the gateway (WebSocket, REST, dashboard) listens; a taken port falls back to a free one. */
  gatewayHost: string;
  gatewayPort: number;
}

export type DemoConfigInput = Pick<DemoConfig, "dir"> & Partial<Omit<DemoConfig, "dir">>;

export const DEMO_DEFAULTS = {
  markets: 50,
  rate: 500,
  seed: 1,
  rotation: "1m",
  feed: "kalshi",
  prefix: "demo.kalshi",
  stream: "DEMO_KALSHI",
  retentionMs: 10 * 60_000,
  gatewayHost: "127.0.0.1",
  gatewayPort: 8081,
} as const;

export function resolveDemoConfig(input: DemoConfigInput): DemoConfig {
  const config: DemoConfig = { ...DEMO_DEFAULTS, ...input };
  const problems: string[] = [];
  if (!Number.isInteger(config.markets) || config.markets < 1 || config.markets > 10_000) {
    problems.push(`markets must be an integer 1..10000, got ${config.markets}`);
  }
  if (!Number.isFinite(config.rate) || config.rate <= 0 || config.rate > 1_000_000) {
    problems.push(`rate must be 1..1000000 messages/s, got ${config.rate}`);
  }
  if (!Number.isInteger(config.gatewayPort) || config.gatewayPort < 0 || config.gatewayPort > 65_535) {
    problems.push(`gateway port must be 0..65535, got ${config.gatewayPort}`);
  }
  if (!Number.isInteger(config.seed)) problems.push(`seed must be an integer, got ${config.seed}`);
  try {
    parseInterval(config.rotation);
  } catch {
    problems.push(
      `rotation must be an interval between 1s and 24h (e.g. 30s, 1m, 15m), got '${config.rotation}'`,
    );
  }
  if (problems.length > 0) throw new ValidationError("invalid demo options", problems);
  return config;
}
