/**
 * Prometheus metrics of one connector, on its own Registry. Hot-path counters are resolved to
 * label children once per (feed, type) and cached, so counting a frame is one property lookup.
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

export class ConnectorMetrics {
  readonly registry = new Registry();
  private readonly received: Counter<"feed" | "type">;
  private readonly receivedByType = new Map<string, Counter.Internal>();
  readonly published: Counter.Internal;
  readonly duplicatesAcked: Counter.Internal;
  readonly duplicatesDropped: Counter.Internal;
  readonly dropped: Counter.Internal;
  readonly publishRetries: Counter.Internal;
  readonly backfilled: Counter.Internal;
  private readonly errors: Counter<"feed" | "error_type">;
  private readonly reconnects: Counter<"feed" | "reason">;
  private readonly gaps: Counter<"feed" | "reason">;
  private readonly dlq: Counter<"feed" | "reason">;
  readonly ackLatency: Histogram.Internal<"feed">;

  constructor(
    private readonly feed: string,
    gauges: ConnectorGauges,
  ) {
    const registers = [this.registry];
    const labelNames = ["feed"] as const;
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames, registers }).labels({ feed });
    this.received = new Counter({
      name: "ssmd_connector_messages_received_total",
      help: "Frames received from Kalshi, by message type",
      labelNames: ["feed", "type"],
      registers,
    });
    this.published = counter("ssmd_connector_messages_published_total", "Messages acked by JetStream");
    this.duplicatesAcked = counter(
      "ssmd_connector_publish_duplicates_total",
      "Publishes JetStream acked as duplicates (Nats-Msg-Id already stored)",
    );
    this.duplicatesDropped = counter(
      "ssmd_connector_seq_duplicates_dropped_total",
      "Frames dropped because their seq was already seen",
    );
    this.dropped = counter(
      "ssmd_connector_messages_lost_total",
      "Frames dropped because the publish buffer was full",
    );
    this.publishRetries = counter("ssmd_connector_publish_retries_total", "Failed publish attempts retried");
    this.backfilled = counter(
      "ssmd_connector_backfilled_trades_total",
      "Trades published from the REST backfill",
    );
    this.errors = new Counter({
      name: "ssmd_connector_errors_total",
      help: "Errors by type (malformed_frame, unknown_type, kalshi_error_N, publish, connect, ...)",
      labelNames: ["feed", "error_type"],
      registers,
    });
    this.reconnects = new Counter({
      name: "ssmd_connector_reconnects_total",
      help: "WebSocket reconnects by reason (closed, stale, error)",
      labelNames: ["feed", "reason"],
      registers,
    });
    this.gaps = new Counter({
      name: "ssmd_connector_gaps_total",
      help: "Gap/disconnect records published, by reason",
      labelNames: ["feed", "reason"],
      registers,
    });
    this.dlq = new Counter({
      name: "ssmd_connector_dlq_total",
      help: "Frames sent to {prefix}.status.dlq, by reason",
      labelNames: ["feed", "reason"],
      registers,
    });
    this.ackLatency = new Histogram({
      name: "ssmd_connector_publish_latency_seconds",
      help: "Receive → JetStream ack latency",
      labelNames,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }).labels({ feed });
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
      "Markets subscribed per-market",
      gauges.marketsSubscribed,
    );
  }

  receivedOf(type: string): Counter.Internal {
    let child = this.receivedByType.get(type);
    if (!child) {
      child = this.received.labels({ feed: this.feed, type });
      this.receivedByType.set(type, child);
    }
    return child;
  }

  error(errorType: string): void {
    this.errors.inc({ feed: this.feed, error_type: errorType });
  }

  reconnect(reason: string): void {
    this.reconnects.inc({ feed: this.feed, reason });
  }

  gap(reason: string): void {
    this.gaps.inc({ feed: this.feed, reason });
  }

  deadLetter(reason: string): void {
    this.dlq.inc({ feed: this.feed, reason });
  }

  private gauge(name: string, help: string, read: () => number): void {
    const feed = this.feed;
    new Gauge({
      name,
      help,
      labelNames: ["feed"],
      registers: [this.registry],
      collect() {
        this.set({ feed }, read());
      },
    });
  }
}
