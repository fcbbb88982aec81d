/**
 * Turns cumulative counters sampled over time into per-second rates (the status screen's
 * "messages/s by channel"). Pure: the caller passes the sample time.
 */
export class RateMeter {
  private previous: { atMs: number; values: Record<string, number> } | undefined;

  /** Rates per key since the previous sample (0 on the first sample). */
  sample(atMs: number, values: Record<string, number>): Record<string, number> {
    const rates: Record<string, number> = {};
    const before = this.previous;
    const seconds = before ? (atMs - before.atMs) / 1000 : 0;
    for (const [key, value] of Object.entries(values)) {
      const delta = value - (before?.values[key] ?? 0);
      rates[key] = seconds > 0 ? delta / seconds : 0;
    }
    this.previous = { atMs, values: { ...values } };
    return rates;
  }
}
