/** Prometheus metrics of the data API, on the component's own registry. */
import { Counter, Histogram, Registry } from "prom-client";

export interface ApiMetrics {
  registry: Registry;
  requests: Counter<"route" | "status">;
  errors: Counter<"code">;
  duration: Histogram<"route">;
  streamedRecords: Counter<"feed">;
  streamedBytes: Counter<"feed">;
  streamsAborted: Counter<"feed">;
  readProblems: Counter<"feed" | "kind">;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: "ssmd_data_requests_total",
      help: "HTTP requests by route pattern and status",
      labelNames: ["route", "status"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "ssmd_data_request_errors_total",
      help: "Requests answered with an error, by error code",
      labelNames: ["code"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "ssmd_data_request_duration_seconds",
      help: "Time to answer a request (streams: until the last byte)",
      labelNames: ["route"],
      buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60],
      registers: [registry],
    }),
    streamedRecords: new Counter({
      name: "ssmd_data_stream_records_total",
      help: "Records sent on /stream",
      labelNames: ["feed"],
      registers: [registry],
    }),
    streamedBytes: new Counter({
      name: "ssmd_data_stream_bytes_total",
      help: "Bytes sent on /stream",
      labelNames: ["feed"],
      registers: [registry],
    }),
    streamsAborted: new Counter({
      name: "ssmd_data_streams_aborted_total",
      help: "Streams ended early because the client went away",
      labelNames: ["feed"],
      registers: [registry],
    }),
    readProblems: new Counter({
      name: "ssmd_data_read_problems_total",
      help: "Archive lines that were not archive lines (bad_line) and files that did not decompress (corrupt_file), seen while streaming",
      labelNames: ["feed", "kind"],
      registers: [registry],
    }),
  };
}
