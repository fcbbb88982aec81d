/**
 * The gateway's Prometheus metrics on its own Registry. Hot-path counts are plain numbers in
 * GatewayCounters, copied into the metrics only when /metrics is scraped (nothing per message).
 * ssmd_gateway_subscriptions_active{symbol} keeps cardinality bounded: the most subscribed
 * symbols by name, the rest summed under symbol="_other".
 */
import { Counter, Gauge, Registry } from "prom-client";
import { EVENT_TYPES, type EventType } from "./events.js";
import type { StoreCounters } from "./market-updates.js";

const MAX_SYMBOL_LABELS = 100;

export interface GatewayCounters {
  sent: Record<EventType, number>;
  conflated: number;
  disconnects: Record<string, number>;
  badRequests: Record<string, number>;
  connectionsRejected: Record<string, number>;
}

export function newCounters(): GatewayCounters {
  return {
    sent: Object.fromEntries(EVENT_TYPES.map((type) => [type, 0])) as Record<EventType, number>,
    conflated: 0,
    disconnects: {},
    badRequests: {},
    connectionsRejected: {},
  };
}

export interface MetricSources {
  counters: GatewayCounters;
  store: StoreCounters;
  clients(): number;
  subscriptions(): Map<string, number>;
  staleBooks(): number;
}

export function createGatewayMetrics(sources: MetricSources): Registry {
  const registry = new Registry();
  const reported = new Map<string, number>();
  /** Adds what a plain counter gained since the last scrape. */
  const sync = (counter: Counter<string>, key: string, labels: Record<string, string>, total: number) => {
    const previous = reported.get(key) ?? 0;
    if (total > previous) counter.inc(labels, total - previous);
    reported.set(key, total);
  };
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter<string>) => void) =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        fill(this);
      },
    });
  /** A counter with one label, following a plain record of totals by label value. */
  const byLabel = (name: string, help: string, label: string, totals: () => Record<string, number>) =>
    counter(name, help, [label], (c) => {
      for (const [value, n] of Object.entries(totals())) sync(c, `${name}:${value}`, { [label]: value }, n);
    });
  const { counters, store } = sources;
  counter("ssmd_gateway_messages_sent_total", "messages sent to clients", ["type"], (c) => {
    for (const type of EVENT_TYPES) sync(c, `sent:${type}`, { type }, counters.sent[type]);
  });
  counter(
    "ssmd_gateway_conflations_total",
    "order-book/ticker updates replaced by the latest state for a slow client",
    [],
    (c) => sync(c, "conflated", {}, counters.conflated),
  );
  byLabel(
    "ssmd_gateway_disconnects_total",
    "client connections closed, by reason",
    "reason",
    () => counters.disconnects,
  );
  byLabel(
    "ssmd_gateway_bad_requests_total",
    "client messages refused, by error code",
    "code",
    () => counters.badRequests,
  );
  byLabel(
    "ssmd_gateway_connections_rejected_total",
    "WebSocket upgrades refused, by reason",
    "reason",
    () => counters.connectionsRejected,
  );
  byLabel(
    "ssmd_gateway_feed_messages_total",
    "stream messages consumed, by channel",
    "channel",
    () => store.byChannel,
  );
  counter(
    "ssmd_gateway_feed_errors_total",
    "stream messages that could not be used, by reason",
    ["reason"],
    (c) => {
      sync(c, "err:parse", { reason: "parse" }, store.parseErrors);
      sync(c, "err:delta_without_book", { reason: "delta_without_book" }, store.deltasWithoutBook);
      sync(c, "err:crossed_book", { reason: "crossed_book" }, store.crossedBooks);
    },
  );
  counter("ssmd_gateway_gaps_total", "gap and disconnect records seen in the stream", [], (c) =>
    sync(c, "gaps", {}, store.gaps),
  );
  counter("ssmd_gateway_books_reset_total", "order books reset to wait for a snapshot", [], (c) =>
    sync(c, "resets", {}, store.booksReset),
  );
  gauge(registry, "ssmd_gateway_clients_connected", "WebSocket clients connected", [], (g) =>
    g.set(sources.clients()),
  );
  gauge(registry, "ssmd_gateway_books_stale", "order books waiting for a snapshot after a gap", [], (g) =>
    g.set(sources.staleBooks()),
  );
  gauge(
    registry,
    "ssmd_gateway_subscriptions_active",
    "subscribed clients per symbol (top symbols, rest as _other)",
    ["symbol"],
    (g) => {
      g.reset();
      const sorted = [...sources.subscriptions()].sort((a, b) => b[1] - a[1]);
      let other = 0;
      for (const [index, [symbol, n]] of sorted.entries()) {
        if (index < MAX_SYMBOL_LABELS) g.set({ symbol }, n);
        else other += n;
      }
      if (other > 0) g.set({ symbol: "_other" }, other);
    },
  );
  return registry;
}

function gauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  fill: (g: Gauge<string>) => void,
) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      fill(this);
    },
  });
}
