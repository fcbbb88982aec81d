/**
 * The simulator's Prometheus metrics (own Registry). Hot-path counts (frames sent, messages
 * generated) are plain numbers read at scrape time, so they cost nothing per frame.
 */
import { Counter, Gauge, Registry } from "prom-client";

export interface SimCounts {
  connections(): number;
  framesSent(): number;
  messagesGenerated(): number;
}

export interface SimMetrics {
  registry: Registry;
  commands: Counter<"cmd" | "result">;
  rest: Counter<"route" | "status">;
  faults: Counter<"kind">;
  rejected: Counter;
}

export function createSimMetrics(counts: SimCounts): SimMetrics {
  const registry = new Registry();
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge("ssmd_sim_connections", "Open WebSocket connections", counts.connections);
  gauge("ssmd_sim_frames_sent_total", "Frames written to WebSocket clients", counts.framesSent);
  gauge(
    "ssmd_sim_messages_generated_total",
    "Market-data messages produced by the world",
    counts.messagesGenerated,
  );
  return {
    registry,
    commands: new Counter({
      name: "ssmd_sim_commands_total",
      help: "WebSocket commands by command and result (ok or the Kalshi error code)",
      labelNames: ["cmd", "result"],
      registers: [registry],
    }),
    rest: new Counter({
      name: "ssmd_sim_rest_requests_total",
      help: "REST requests by route and status",
      labelNames: ["route", "status"],
      registers: [registry],
    }),
    faults: new Counter({
      name: "ssmd_sim_faults_total",
      help: "Faults injected, by kind",
      labelNames: ["kind"],
      registers: [registry],
    }),
    rejected: new Counter({
      name: "ssmd_sim_upgrades_rejected_total",
      help: "WebSocket upgrades refused with 401",
      registers: [registry],
    }),
  };
}
