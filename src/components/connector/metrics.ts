/**
 * Prometheus metrics of one connector, on its own Registry whose default label is `feed`.
 * Hot-path counts (frames received by type, messages published, seq duplicates) are plain numbers
 * copied into their counters when /metrics is scraped, so counting a frame costs one increment
 * and no label hashing; rare events (errors, reconnects, gaps, dead letters) increment directly.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface ConnectorGauges {
  /** Seconds between now and the receive time of the oldest unacked frame (0 when idle). */
  lagSeconds(): number;
  lastMessageAgeSeconds(): number;
  inFlight(): number;
  buffered(): number;
  connectedShards(): number;
  marketsSubscribed(): number;
}

/** Label values of `type` are bounded: an exchange sending random types cannot grow memory. */
const MAX_TYPES = 64;

/** Monotonic counts kept as plain numbers on the hot path. */
export class HotCounts {
  readonly receivedByType = new Map<string, number>();
  published = 0;
  duplicatesAcked = 0;
  seqDuplicates = 0;
  lost = 0;
  retries = 0;
  backfilled = 0;

  /** Counts a frame by type; beyond MAX_TYPES distinct types the rest count as "other". */
  received(type: string): void {
    const current = this.receivedByType.get(type);
    if (current !== undefined) this.receivedByType.set(type, current + 1);
    else if (this.receivedByType.size < MAX_TYPES) this.receivedByType.set(type, 1);
    else this.receivedByType.set("other", (this.receivedByType.get("other") ?? 0) + 1);
  }
}

export class ConnectorMetrics {
  readonly registry = new Registry();
  readonly counts = new HotCounts();
  private readonly errors: Counter<"error_type">;
  private readonly reconnects: Counter<"reason">;
  private readonly gaps: Counter<"reason">;
  private readonly dlq: Counter<"reason">;
  readonly ackLatency: Histogram;

  constructor(feed: string, gauges: ConnectorGauges) {
    this.registry.setDefaultLabels({ feed });
    const registers = [this.registry];
    const counts = this.counts;
    const reported = new Map<string, number>();
    new Counter({
      name: "ssmd_connector_messages_received_total",
      help: "Frames received from Kalshi, by message type",
      labelNames: ["type"],
      registers,
      collect() {
        for (const [type, value] of counts.receivedByType) catchUp(this, reported, type, value, { type });
      },
    });
    this.mirror(
      "ssmd_connector_messages_published_total",
      "Messages acked by JetStream",
      () => counts.published,
    );
    this.mirror(
      "ssmd_connector_publish_duplicates_total",
      "Publishes JetStream acked as duplicates (Nats-Msg-Id already stored)",
      () => counts.duplicatesAcked,
    );
    this.mirror(
      "ssmd_connector_seq_duplicates_dropped_total",
      "Frames dropped because their seq was already seen",
      () => counts.seqDuplicates,
    );
    this.mirror(
      "ssmd_connector_messages_lost_total",
      "Frames dropped because the publish buffer was full",
      () => counts.lost,
    );
    this.mirror(
      "ssmd_connector_publish_retries_total",
      "Failed publish attempts retried",
      () => counts.retries,
    );
    this.mirror(
      "ssmd_connector_backfilled_trades_total",
      "Trades published from the REST backfill",
      () => counts.backfilled,
    );
    this.errors = new Counter({
      name: "ssmd_connector_errors_total",
      help: "Errors by type (malformed_frame, unknown_type, kalshi_error_N, connect, command, backfill, ...)",
      labelNames: ["error_type"],
      registers,
    });
    this.reconnects = new Counter({
      name: "ssmd_connector_reconnects_total",
      help: "WebSocket reconnects by reason (closed, stale, connect_failed, subscription_error)",
      labelNames: ["reason"],
      registers,
    });
    this.gaps = new Counter({
      name: "ssmd_connector_gaps_total",
      help: "Gap/disconnect records published, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.dlq = new Counter({
      name: "ssmd_connector_dlq_total",
      help: "Frames sent to {prefix}.status.dlq, by reason",
      labelNames: ["reason"],
      registers,
    });
    this.ackLatency = new Histogram({
      name: "ssmd_connector_publish_latency_seconds",
      help: "Receive → JetStream ack latency",
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.gauge(
      "ssmd_connector_lag_seconds",
      "Age of the oldest frame not yet acked by JetStream",
      gauges.lagSeconds,
    );
    this.gauge(
      "ssmd_connector_last_message_age_seconds",
      "Seconds since the last frame",
      gauges.lastMessageAgeSeconds,
    );
    this.gauge("ssmd_connector_inflight_publishes", "Publishes awaiting a JetStream ack", gauges.inFlight);
    this.gauge("ssmd_connector_publish_buffer_messages", "Frames waiting to be published", gauges.buffered);
    this.gauge(
      "ssmd_connector_connections",
      "WebSocket connections (shards) connected",
      gauges.connectedShards,
    );
    this.gauge(
      "ssmd_connector_markets_subscribed",
      "Markets subscribed per market",
      gauges.marketsSubscribed,
    );
  }

  error(errorType: string): void {
    this.errors.inc({ error_type: errorType });
  }

  reconnect(reason: string): void {
    this.reconnects.inc({ reason });
  }

  gap(reason: string): void {
    this.gaps.inc({ reason });
  }

  deadLetter(reason: string): void {
    this.dlq.inc({ reason });
  }

  /** A counter that shows a plain hot-path number at scrape time. */
  private mirror(name: string, help: string, read: () => number): void {
    const reported = new Map<string, number>();
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        catchUp(this, reported, "", read(), {});
      },
    });
  }

  private gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}

/**
 * Raises a counter to a monotonic plain-number total: increments by what was not yet reported
 * (`reported` remembers the last total per label key).
 */
function catchUp<T extends string>(
  counter: Counter<T>,
  reported: Map<string, number>,
  key: string,
  total: number,
  labels: Partial<Record<T, string>>,
): void {
  const last = reported.get(key) ?? 0;
  if (total <= last) return;
  counter.inc(labels, total - last);
  reported.set(key, total);
}
