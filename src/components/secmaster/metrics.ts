/** Prometheus metrics of the secmaster, on its own registry. */
import { Counter, Gauge, Registry } from "prom-client";

export interface SecmasterMetrics {
  registry: Registry;
  changes: Counter<"entity" | "kind" | "source">;
  invalid: Counter<"what">;
  published: Counter<"result">;
  lifecycle: Counter<"event_type" | "result">;
  cache: Counter<"result">;
  lastSync: Gauge<"kind">;
}

export function createSecmasterMetrics(): SecmasterMetrics {
  const registry = new Registry();
  return {
    registry,
    changes: new Counter({
      name: "ssmd_secmaster_changes_total",
      help: "Entities added or changed, by entity, kind (added|updated) and source",
      labelNames: ["entity", "kind", "source"],
      registers: [registry],
    }),
    invalid: new Counter({
      name: "ssmd_secmaster_invalid_total",
      help: "Items refused as malformed (REST listings, lifecycle frames)",
      labelNames: ["what"],
      registers: [registry],
    }),
    published: new Counter({
      name: "ssmd_secmaster_change_events_total",
      help: "Change events published to {prefix}.secmaster.{ticker}, by result",
      labelNames: ["result"],
      registers: [registry],
    }),
    lifecycle: new Counter({
      name: "ssmd_secmaster_lifecycle_messages_total",
      help: "Lifecycle messages consumed, by event type and result (applied|ignored|invalid|failed)",
      labelNames: ["event_type", "result"],
      registers: [registry],
    }),
    cache: new Counter({
      name: "ssmd_secmaster_cache_lookups_total",
      help: "Market cache lookups by result (hit|miss|error)",
      labelNames: ["result"],
      registers: [registry],
    }),
    lastSync: new Gauge({
      name: "ssmd_secmaster_last_sync_timestamp_seconds",
      help: "Unix time of the last completed sync, by kind",
      labelNames: ["kind"],
      registers: [registry],
    }),
  };
}
