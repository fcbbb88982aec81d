/**
 * Acks follow durability. A message is acked only after its line is fsynced in the `.tmp` (or
 * the file is sealed) and its seq is in the fsynced ledger. Flushes are pipelined: one runs in
 * the background while intake continues; intake waits only when a second batch is full.
 * The ledger snapshot is taken when the flush starts, so no seq is logged before its line is
 * durable.
 */
import type { BusMessage } from "../../adapters/bus/types.js";
import type { SeqLedger } from "./seq-ledger.js";

export type SyncData = () => Promise<void>;

export class DurableAcks {
  private pending: BusMessage[] = [];
  private firstPendingAt = 0;
  private flushing: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly ledger: SeqLedger,
    private readonly clock: () => number,
    private readonly batch: number,
    private readonly onAcked: () => void,
  ) {}

  /** Owes an ack; returns a promise only when intake must wait (two batches outstanding). */
  add(msg: BusMessage, sync: SyncData | undefined): Promise<void> | undefined {
    this.throwIfFailed();
    if (this.pending.length === 0) this.firstPendingAt = this.clock();
    this.pending.push(msg);
    if (this.pending.length < this.batch) return undefined;
    if (!this.flushing) {
      this.start(sync);
      return undefined;
    }
    return this.pending.length >= 2 * this.batch ? this.flush(sync) : undefined;
  }

  /** True when the oldest owed ack has waited at least `intervalMs`. */
  due(intervalMs: number): boolean {
    return this.pending.length > 0 && !this.flushing && this.clock() - this.firstPendingAt >= intervalMs;
  }

  /** Makes everything owed so far durable and acks it. */
  async flush(sync: SyncData | undefined): Promise<void> {
    await this.settle();
    this.start(sync);
    await this.settle();
  }

  /** Waits for the background flush; rethrows its failure. */
  async settle(): Promise<void> {
    await this.flushing;
    this.throwIfFailed();
  }

  /** After a seal (data durable, ledger persisted by the seal): acks everything owed. */
  ackNow(): void {
    this.ack(this.pending);
    this.pending = [];
  }

  throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private start(sync: SyncData | undefined): void {
    const owed = this.pending;
    this.pending = [];
    const seqs = this.ledger.takeUnlogged();
    const run = async () => {
      if (sync) await sync();
      await this.ledger.persistRanges(seqs);
      this.ack(owed);
    };
    const tracked: Promise<void> = run()
      .catch((error: unknown) => {
        this.failure = error;
      })
      .finally(() => {
        if (this.flushing === tracked) this.flushing = undefined;
      });
    this.flushing = tracked;
  }

  private ack(messages: BusMessage[]): void {
    for (const msg of messages) msg.ack();
    this.onAcked();
  }
}
