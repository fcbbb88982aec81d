/**
 * One shard's outage bookkeeping: when the connection was lost and why, and the ssmd_disconnect
 * record (start + end) published once the shard is connected again — or with `ended_at: null`
 * when the connector stops during the outage.
 */
import type { GapReason } from "../../core/gap-records.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock } from "./ports.js";
import type { Publisher } from "./publisher.js";
import type { StatusRecords } from "./status-records.js";

export interface OutageWindow {
  startUs: number;
  endUs: number;
}

export class Outage {
  private startUs: number | undefined;
  private reason: GapReason = "disconnect";

  constructor(
    private readonly clock: Clock,
    private readonly records: StatusRecords,
    private readonly publisher: Publisher,
    private readonly metrics: ConnectorMetrics,
  ) {}

  get ongoing(): boolean {
    return this.startUs !== undefined;
  }

  /** The connection ended for `why` (closed, stale, subscription_error); data stopped at `lastDataUs`. */
  begin(why: string, lastDataUs: number): void {
    this.startUs = Math.min(lastDataUs, this.clock.nowUs());
    this.reason =
      why === "stale" ? "stall" : why === "subscription_error" ? "subscription_error" : "disconnect";
  }

  /** A reconnect attempt failed after the outage record went out: a new outage starts now. */
  resume(): void {
    this.startUs = this.clock.nowUs();
  }

  /** Publishes the record (end = now, or null when stopping) and returns the window, if any. */
  end(conn: string, tickers: string[], stopping = false): OutageWindow | undefined {
    const startUs = this.startUs;
    if (startUs === undefined) return undefined;
    this.startUs = undefined;
    const endUs = this.clock.nowUs();
    const record = this.records.gap(
      {
        type: "ssmd_disconnect",
        reason: this.reason,
        conn,
        sid: null,
        fromSeq: null,
        toSeq: null,
        tickers,
        startedUs: startUs,
        endedUs: stopping ? null : endUs,
      },
      endUs,
    );
    this.metrics.gap(this.reason);
    this.publisher.enqueue(record, true);
    return { startUs, endUs };
  }
}
