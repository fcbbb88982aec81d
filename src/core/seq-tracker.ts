/**
 * Per-subscription sequence tracking (PROTOCOL.md §3.2). Kalshi numbers the messages of one
 * subscription (`sid`) 1, 2, 3, ...; `ok`/`unsubscribed` acks carry the sid's seq too and must
 * advance it. One tracker per WebSocket connection: sids are per connection and restart at 1
 * after a reconnect, so the connector creates a fresh tracker for every connection.
 *
 *   first      first seq seen for this sid (accepted as the starting point)
 *   next       seq == last + 1
 *   duplicate  seq == last (or already seen): drop the frame
 *   gap        seq  > last + 1: missing [fromSeq, toSeq]; the frame itself is accepted
 *   reset      seq  < last: the server restarted the sequence; the frame starts a new run
 */
export type SeqVerdict =
  | { kind: "first" }
  | { kind: "next" }
  | { kind: "duplicate" }
  | { kind: "gap"; fromSeq: number; toSeq: number }
  | { kind: "reset"; previousSeq: number };

export class SeqTracker {
  private readonly lastBySid = new Map<number, number>();
  /** How many times each sid's sequence restarted (reset, or forgotten and seen again). */
  private readonly runBySid = new Map<number, number>();

  /** Classifies `seq` for `sid` and records it as the latest (except duplicates). */
  observe(sid: number, seq: number): SeqVerdict {
    const last = this.lastBySid.get(sid);
    if (last === undefined) {
      this.lastBySid.set(sid, seq);
      return { kind: "first" };
    }
    if (seq === last + 1) {
      this.lastBySid.set(sid, seq);
      return { kind: "next" };
    }
    if (seq === last) return { kind: "duplicate" };
    this.lastBySid.set(sid, seq);
    if (seq > last + 1) return { kind: "gap", fromSeq: last + 1, toSeq: seq - 1 };
    this.runBySid.set(sid, this.run(sid) + 1);
    return { kind: "reset", previousSeq: last };
  }

  /**
   * The sid's run: 0 until its sequence restarts, then 1, 2, ... A (sid, seq) pair is unique only
   * within a run, so the run is part of the frame's dedup key (core/msg-id.ts).
   */
  run(sid: number): number {
    return this.runBySid.get(sid) ?? 0;
  }

  lastSeq(sid: number): number | undefined {
    return this.lastBySid.get(sid);
  }

  /** Forget a sid (unsubscribed, or resubscribing: the next seq starts a new run). */
  forget(sid: number): void {
    if (this.lastBySid.delete(sid)) this.runBySid.set(sid, this.run(sid) + 1);
  }

  get size(): number {
    return this.lastBySid.size;
  }
}
