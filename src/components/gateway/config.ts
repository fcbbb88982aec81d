/**
 * The gateway's plain configuration, validated once (the CLI builds it from the environment
 * file and flags). Every buffer the gateway keeps is bounded by a number here.
 */
import { ValidationError } from "../../core/errors.js";

export interface ClientLimits {
  /** Symbols one client may hold subscribed at once. */
  maxSymbols: number;
  /** Largest message a client may send (ws maxPayload), bytes. */
  maxPayloadBytes: number;
  /** Queued messages above which order-book and ticker updates are conflated to the latest state. */
  conflateAboveMessages: number;
  /** Queued messages or bytes above which the client is disconnected (close 4001). */
  maxQueueMessages: number;
  maxQueueBytes: number;
  /** Bytes handed to the socket and not yet written, above which we stop writing and queue. */
  socketHighWaterBytes: number;
  /** A client still conflating after this long is disconnected (close 4002). */
  maxBehindMs: number;
  pingIntervalMs: number;
  /** No pong (or message) for this long → disconnected (close 4003). */
  idleTimeoutMs: number;
}

export interface GatewayConfig {
  stream: string;
  prefix: string;
  host: string;
  /** 0 = a free port. */
  port: number;
  /** Empty: no authentication. Otherwise X-API-Key header or api_key query parameter. */
  apiKeys: string[];
  /** Where the feed starts: the whole stream (books need the last snapshot) or only new messages. */
  startFrom: "all" | "new";
  recentTrades: number;
  /** Points kept per market for the dashboard's price chart. */
  priceHistory: number;
  /**
   * Longest wait between two flush rounds to clients (ms). After a round that took t ms the next
   * waits min(t, this): under load more messages share a socket write (fewer syscalls), adding
   * at most this much delay; 0 flushes after every burst of feed messages.
   */
  maxFlushGapMs: number;
  limits: ClientLimits;
}

export type GatewayConfigInput = Pick<GatewayConfig, "stream" | "prefix"> &
  Partial<Omit<GatewayConfig, "stream" | "prefix" | "limits">> & { limits?: Partial<ClientLimits> };

const DEFAULT_LIMITS: ClientLimits = {
  maxSymbols: 500,
  maxPayloadBytes: 64 * 1024,
  conflateAboveMessages: 2_000,
  maxQueueMessages: 20_000,
  maxQueueBytes: 16 * 1024 * 1024,
  socketHighWaterBytes: 1024 * 1024,
  maxBehindMs: 10_000,
  pingIntervalMs: 15_000,
  idleTimeoutMs: 45_000,
};

const DEFAULT_MAX_FLUSH_GAP_MS = 5;

export function resolveGatewayConfig(input: GatewayConfigInput): GatewayConfig {
  const config: GatewayConfig = {
    host: "0.0.0.0",
    port: 8081,
    apiKeys: [],
    startFrom: "all",
    recentTrades: 200,
    priceHistory: 600,
    maxFlushGapMs: DEFAULT_MAX_FLUSH_GAP_MS,
    ...input,
    limits: { ...DEFAULT_LIMITS, ...input.limits },
  };
  const problems: string[] = [];
  if (!config.stream) problems.push("stream is required");
  if (!config.prefix) problems.push("subject prefix is required");
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65_535) {
    problems.push(`port must be 0..65535, got ${config.port}`);
  }
  for (const [name, value] of Object.entries(config.limits)) {
    if (!Number.isInteger(value) || value < 1) problems.push(`limits.${name} must be a positive integer`);
  }
  if (config.limits.conflateAboveMessages >= config.limits.maxQueueMessages) {
    problems.push("limits.conflateAboveMessages must be below limits.maxQueueMessages");
  }
  if (!Number.isFinite(config.maxFlushGapMs) || config.maxFlushGapMs < 0 || config.maxFlushGapMs > 100) {
    problems.push(`maxFlushGapMs must be 0..100, got ${config.maxFlushGapMs}`);
  }
  if (config.apiKeys.some((key) => key.length < 8)) problems.push("API keys must have at least 8 characters");
  if (problems.length > 0) throw new ValidationError("invalid gateway configuration", problems);
  return config;
}
