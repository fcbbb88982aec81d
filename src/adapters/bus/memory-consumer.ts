/**
 * Consumer state for the in-process bus. A durable consumer keeps its cursor, in-flight
 * (delivered, unacked) set and redelivery deadlines across close/reopen, like a JetStream durable:
 * at most `maxAckPending` unacked messages, redelivery after `ackWaitMs` or a nak. An ephemeral
 * consumer is a cursor only. `pending` is kept exact by observing stream appends and drops.
 */

import type { MemoryStream, StoredMessage, StreamObserver } from "./memory-stream.js";
import { DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_ACK_PENDING } from "./spec-validation.js";
import { compileSubjectFilter } from "./subject-match.js";
import type { BusMessage, ConsumerSpec } from "./types.js";
import { Wakeup } from "./wakeup.js";

interface InFlight {
  deliveries: number;
  dueAt: number;
}

export class MemoryConsumer implements StreamObserver {
  readonly durable: boolean;
  readonly changed = new Wakeup();
  private readonly matches: (subject: string) => boolean;
  private readonly inFlight = new Map<number, InFlight>();
  private readonly initial: number[] = [];
  private cursor: number;
  private ahead = 0;
  private nextDueAt = Number.POSITIVE_INFINITY;
  private ackWaitMs: number;
  private maxAckPending: number;

  constructor(
    private readonly stream: MemoryStream,
    spec: ConsumerSpec,
    private readonly now: () => number,
  ) {
    this.durable = spec.durable !== undefined;
    this.matches = compileSubjectFilter(spec.filterSubjects);
    this.ackWaitMs = spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    this.maxAckPending = spec.maxAckPending ?? DEFAULT_MAX_ACK_PENDING;
    this.cursor = this.startSeq(spec);
    for (let seq = Math.max(this.cursor, stream.firstSeq); seq <= stream.lastSeq; seq++) {
      const message = stream.get(seq);
      if (message && this.matches(message.subject)) this.ahead++;
    }
    this.ahead += this.initial.length;
  }

  /** A reopened durable takes the new window settings; its position is kept. */
  reconfigure(spec: ConsumerSpec): void {
    this.ackWaitMs = spec.ackWaitMs ?? this.ackWaitMs;
    this.maxAckPending = spec.maxAckPending ?? this.maxAckPending;
  }

  onAppend(message: StoredMessage): void {
    if (message.seq >= this.cursor && this.matches(message.subject)) this.ahead++;
    this.changed.wake();
  }

  onDrop(message: StoredMessage): void {
    if (message.seq >= this.cursor && this.matches(message.subject)) this.ahead--;
    this.inFlight.delete(message.seq);
  }

  /** The next deliverable message, or undefined (then wait on `changed` for at most `msUntilDue()`). */
  tryNext(): BusMessage | undefined {
    const now = this.now();
    this.stream.enforce(now);
    const redelivery = this.takeDue(now);
    if (redelivery) return redelivery;
    if (this.durable && this.inFlight.size >= this.maxAckPending) return undefined;
    const stored = this.takeNew();
    if (!stored) return undefined;
    return this.deliver(stored, 1, now);
  }

  msUntilDue(): number | undefined {
    if (!this.durable || this.nextDueAt === Number.POSITIVE_INFINITY) return undefined;
    return Math.max(0, this.nextDueAt - this.now());
  }

  private startSeq(spec: ConsumerSpec): number {
    const from = spec.deliverFrom ?? { kind: "all" };
    const stream = this.stream;
    if (from.kind === "new") return stream.lastSeq + 1;
    if (from.kind === "seq") return Math.max(1, from.seq);
    if (from.kind === "time") return stream.seqAtTime(from.atMs);
    if (from.kind === "last-per-subject") {
      this.initial.push(...stream.lastPerSubject(this.matches));
      return stream.lastSeq + 1;
    }
    return stream.firstSeq;
  }

  private takeNew(): StoredMessage | undefined {
    while (this.initial.length > 0) {
      const stored = this.stream.get(this.initial.shift()!);
      this.ahead--;
      if (stored) return stored;
    }
    if (this.cursor < this.stream.firstSeq) this.cursor = this.stream.firstSeq;
    while (this.cursor <= this.stream.lastSeq) {
      const stored = this.stream.get(this.cursor++);
      if (stored && this.matches(stored.subject)) {
        this.ahead--;
        return stored;
      }
    }
    return undefined;
  }

  private takeDue(now: number): BusMessage | undefined {
    if (!this.durable || now < this.nextDueAt) return undefined;
    let next = Number.POSITIVE_INFINITY;
    for (const [seq, entry] of this.inFlight) {
      if (entry.dueAt <= now) {
        const stored = this.stream.get(seq);
        if (stored) return this.deliver(stored, entry.deliveries + 1, now);
        this.inFlight.delete(seq);
      } else next = Math.min(next, entry.dueAt);
    }
    this.nextDueAt = next;
    return undefined;
  }

  private deliver(stored: StoredMessage, deliveries: number, now: number): BusMessage {
    if (this.durable) this.schedule(stored.seq, deliveries, now + this.ackWaitMs);
    const seq = stored.seq;
    let settled = !this.durable;
    const headers = { ...stored.headers };
    return {
      subject: stored.subject,
      data: stored.data,
      headers,
      header: (name) => headers[name],
      seq,
      timestampMs: stored.timestampMs,
      deliveryCount: deliveries,
      pending: this.ahead,
      ack: () => {
        if (settled) return;
        settled = true;
        this.inFlight.delete(seq);
        this.changed.wake();
      },
      nak: (delayMs = 0) => {
        if (settled) return;
        settled = true;
        if (this.inFlight.get(seq)?.deliveries === deliveries)
          this.schedule(seq, deliveries, this.now() + delayMs);
        this.changed.wake();
      },
    };
  }

  private schedule(seq: number, deliveries: number, dueAt: number): void {
    this.inFlight.set(seq, { deliveries, dueAt });
    this.nextDueAt = Math.min(this.nextDueAt, dueAt);
  }
}
