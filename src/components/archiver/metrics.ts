/** Prometheus metrics of the archiver, on its own registry. */
import { Counter, Gauge, Registry } from "prom-client";

export interface ArchiverMetrics {
  registry: Registry;
  messages: Counter<"feed" | "channel">;
  bytesWritten: Counter<"bucket">;
  filesWritten: Counter<"bucket">;
  duplicates: Counter<"feed">;
  redeliveries: Counter<"feed">;
  gaps: Counter<"feed" | "source">;
  parseErrors: Counter<"feed" | "problem">;
  lag: Gauge<"feed">;
  uploadsPending: Gauge<"bucket">;
  uploadRetries: Counter<"bucket">;
  lastFlushSeconds: Gauge<"feed">;
  streamEpochs: Counter<"feed">;
}

export function createArchiverMetrics(): ArchiverMetrics {
  const registry = new Registry();
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    messages: counter("ssmd_archiver_messages_archived_total", "Messages written to archive files", [
      "feed",
      "channel",
    ]),
    bytesWritten: counter("ssmd_archiver_bytes_written_total", "Compressed bytes of sealed files", [
      "bucket",
    ]),
    filesWritten: counter("ssmd_archiver_files_written_total", "Files sealed", ["bucket"]),
    duplicates: counter(
      "ssmd_archiver_duplicates_dropped_total",
      "Messages dropped as Nats-Msg-Id duplicates",
      ["feed"],
    ),
    redeliveries: counter(
      "ssmd_archiver_redeliveries_total",
      "Stream messages delivered again (already archived)",
      ["feed"],
    ),
    gaps: counter("ssmd_archiver_gaps_total", "Gaps recorded (connector records, stream sequence gaps)", [
      "feed",
      "source",
    ]),
    parseErrors: counter("ssmd_archiver_parse_errors_total", "Frames that were not valid one-line JSON", [
      "feed",
      "problem",
    ]),
    lag: gauge("ssmd_archiver_consumer_lag_messages", "Messages pending for the archiver's consumer", [
      "feed",
    ]),
    uploadsPending: gauge("ssmd_archiver_uploads_pending", "Files waiting in the upload spool", ["bucket"]),
    uploadRetries: counter("ssmd_archiver_upload_retries_total", "Failed upload attempts (retried)", [
      "bucket",
    ]),
    streamEpochs: counter(
      "ssmd_archiver_stream_epochs_total",
      "New ledger epochs started because the stream was deleted and recreated",
      ["feed"],
    ),
    lastFlushSeconds: gauge("ssmd_archiver_last_flush_timestamp_seconds", "When data was last made durable", [
      "feed",
    ]),
  };
}
