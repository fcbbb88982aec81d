/**
 * Which books a gap or disconnect record covers: the tickers it names; when it names none, the
 * books last fed by its connection (`conn`); without a connection, every book. A gap on a
 * subscription (conn + sid) known to carry only trades/tickers/lifecycle covers no book: the
 * connector re-snapshots order-book subscriptions only, so resetting would leave books stale.
 */
import type { GapRecord } from "../../core/gap-records.js";
import type { Market } from "./market.js";

export function marketsAffectedBy(record: GapRecord, markets: ReadonlyMap<string, Market>): Market[] {
  const tickers = Array.isArray(record.tickers) ? record.tickers : [];
  if (tickers.length > 0) {
    return tickers.flatMap((ticker) => {
      const market = markets.get(ticker);
      return market ? [market] : [];
    });
  }
  const all = [...markets.values()];
  return typeof record.conn === "string" ? all.filter((market) => market.conn === record.conn) : all;
}

const MAX_TRACKED = 10_000;

/** Which (connection, sid) subscriptions were seen carrying order-book frames, and which not. */
export class SubscriptionKinds {
  private readonly books = new Set<string>();
  private readonly others = new Set<string>();

  saw(conn: string, sid: number, kind: string): void {
    const key = `${conn}|${sid}`;
    const set = kind === "orderbook_snapshot" || kind === "orderbook_delta" ? this.books : this.others;
    if (set.has(key)) return;
    // Bounded: forgetting only makes later gaps reset books (the safe side).
    if (set.size >= MAX_TRACKED) set.clear();
    set.add(key);
  }

  /** False only for a subscription seen with non-book frames and never with book frames. */
  mayCarryBooks(conn: string | undefined, sid: number | null): boolean {
    if (conn === undefined || typeof sid !== "number") return true;
    const key = `${conn}|${sid}`;
    return this.books.has(key) || !this.others.has(key);
  }
}
