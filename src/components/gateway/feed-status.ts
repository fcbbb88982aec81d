/**
 * The feed as the dashboard's status strip and /v1/health show it: messages/s into the gateway,
 * whether the connector looks connected, gaps today, books live/stale.
 *   connector "connected"    data arrived within the last CONNECTED_WITHIN_MS
 *             "disconnected" the last outage record is still open (ended_at null), no data since
 *             "idle"         neither (no data lately, e.g. markets closed or connector not running)
 */
import type { BookStore } from "./book-store.js";

const CONNECTED_WITHIN_MS = 10_000;
const RATE_WINDOW_SAMPLES = 5;

export class FeedStatus {
  private readonly samples: [number, number][] = [];

  constructor(
    private readonly store: BookStore,
    private readonly now: () => number,
  ) {}

  /** Called once a second with the clock: keeps a short window of record counts. */
  sample(nowMs: number): void {
    this.samples.push([nowMs, this.store.counters.records]);
    if (this.samples.length > RATE_WINDOW_SAMPLES + 1) this.samples.shift();
  }

  messagesPerSecond(): number {
    if (this.samples.length < 2) return 0;
    const [firstMs, firstCount] = this.samples[0]!;
    const [lastMs, lastCount] = this.samples[this.samples.length - 1]!;
    return lastMs > firstMs ? ((lastCount - firstCount) * 1000) / (lastMs - firstMs) : 0;
  }

  connector(): "connected" | "disconnected" | "idle" {
    if (this.store.openOutage) return "disconnected";
    const lastMs = this.store.lastDataRtUs / 1000;
    return lastMs > 0 && this.now() - lastMs <= CONNECTED_WITHIN_MS ? "connected" : "idle";
  }

  summary() {
    let live = 0;
    let stale = 0;
    for (const market of this.store.markets.values()) {
      if (market.state === "live") live += 1;
      else if (market.state === "stale") stale += 1;
    }
    const today = new Date(this.now()).toISOString().slice(0, 10);
    const lastMs = this.store.lastDataRtUs / 1000;
    return {
      connector: this.connector(),
      messages: this.store.counters.records,
      messages_per_s: Math.round(this.messagesPerSecond() * 10) / 10,
      last_data_at: lastMs > 0 ? new Date(lastMs).toISOString() : null,
      gaps_today: this.store.gapsByDay.get(today) ?? 0,
      gaps_total: this.store.counters.gaps,
      markets: this.store.markets.size,
      books_live: live,
      books_stale: stale,
      parse_errors: this.store.counters.parseErrors,
    };
  }
}
