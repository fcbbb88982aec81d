/**
 * One in-process stream: contiguous sequences, Nats-Msg-Id deduplication inside the duplicate
 * window, and limits retention (maxMessages / maxBytes / maxAge, oldest first) like JetStream's
 * default "limits" policy with discard-old. Consumers observe appends and drops to keep their
 * pending counts exact without rescanning.
 */
import { HEADER_MSG_ID } from "../../core/record.js";
import { duplicateWindowOf } from "./spec-validation.js";
import { compileSubjectFilter } from "./subject-match.js";
import type { Headers, PublishAck, StreamInfo, StreamSpec } from "./types.js";

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: Headers;
  timestampMs: number;
  size: number;
}

export interface StreamObserver {
  onAppend(message: StoredMessage): void;
  onDrop(message: StoredMessage): void;
}

const COMPACT_AFTER = 4096;

export class MemoryStream {
  spec: StreamSpec;
  matchesSubject: (subject: string) => boolean;
  private slots: (StoredMessage | undefined)[] = [];
  private head = 0;
  private first = 1;
  private last = 0;
  private bytes = 0;
  private readonly dedup = new Map<string, { seq: number; atMs: number }>();
  private readonly observers = new Set<StreamObserver>();

  constructor(
    spec: StreamSpec,
    private readonly byteCap: number,
    firstSeq = 1,
    private readonly createdMs?: number,
  ) {
    this.first = firstSeq;
    this.last = firstSeq - 1;
    this.spec = spec;
    this.matchesSubject = compileSubjectFilter(spec.subjects);
  }

  update(spec: StreamSpec, nowMs: number): void {
    this.spec = spec;
    this.matchesSubject = compileSubjectFilter(spec.subjects);
    this.enforce(nowMs);
  }

  get firstSeq(): number {
    return this.first;
  }

  get lastSeq(): number {
    return this.last;
  }

  observe(observer: StreamObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  append(subject: string, data: Uint8Array, headers: Headers, msgId: string | undefined, nowMs: number) {
    if (msgId !== undefined) {
      const seen = this.dedup.get(msgId);
      if (seen && seen.atMs > nowMs - this.duplicateWindowMs()) {
        return { stream: this.spec.name, seq: seen.seq, duplicate: true } satisfies PublishAck;
      }
    }
    const stored = { seq: ++this.last, subject, data, headers: { ...headers }, timestampMs: nowMs, size: 0 };
    if (msgId !== undefined) stored.headers[HEADER_MSG_ID] = msgId;
    stored.size = messageSize(stored);
    if (this.count() === 0) this.first = stored.seq;
    this.slots.push(stored);
    this.bytes += stored.size;
    if (msgId !== undefined) {
      this.dedup.delete(msgId);
      this.dedup.set(msgId, { seq: stored.seq, atMs: nowMs });
    }
    for (const observer of this.observers) observer.onAppend(stored);
    this.enforce(nowMs);
    return { stream: this.spec.name, seq: stored.seq, duplicate: false } satisfies PublishAck;
  }

  get(seq: number): StoredMessage | undefined {
    if (seq < this.first || seq > this.last) return undefined;
    return this.slots[this.head + (seq - this.first)];
  }

  /** Sequence of the first stored message stored at or after atMs, else lastSeq + 1 (deliverFrom time). */
  seqAtTime(atMs: number): number {
    for (let seq = this.first; seq <= this.last; seq++) {
      const message = this.get(seq);
      if (message && message.timestampMs >= atMs) return seq;
    }
    return this.last + 1;
  }

  /** Sequences of the newest message per subject, ascending, among subjects the filter accepts. */
  lastPerSubject(filter: (subject: string) => boolean): number[] {
    const newest = new Map<string, number>();
    for (let seq = this.first; seq <= this.last; seq++) {
      const message = this.get(seq);
      if (message && filter(message.subject)) newest.set(message.subject, seq);
    }
    return [...newest.values()].sort((a, b) => a - b);
  }

  info(nowMs: number): StreamInfo {
    this.enforce(nowMs);
    return {
      name: this.spec.name,
      subjects: [...this.spec.subjects],
      messages: this.count(),
      bytes: this.bytes,
      firstSeq: this.first,
      lastSeq: this.last,
      ...(this.createdMs === undefined ? {} : { createdMs: this.createdMs }),
      limits: {
        storage: this.spec.storage ?? "file",
        maxAgeMs: this.spec.maxAgeMs ?? 0,
        maxBytes: this.spec.maxBytes ?? 0,
        maxMessages: this.spec.maxMessages ?? 0,
        duplicateWindowMs: this.duplicateWindowMs(),
        replicas: this.spec.replicas ?? 1,
      },
    };
  }

  /** Applies retention limits and prunes the duplicate window. */
  enforce(nowMs: number): void {
    const { maxMessages, maxBytes, maxAgeMs } = this.spec;
    const byteLimit = maxBytes && maxBytes > 0 ? Math.min(maxBytes, this.byteCap) : this.byteCap;
    while (this.count() > 0) {
      const oldest = this.slots[this.head]!;
      const tooMany = maxMessages !== undefined && maxMessages > 0 && this.count() > maxMessages;
      const tooOld = maxAgeMs !== undefined && maxAgeMs > 0 && oldest.timestampMs <= nowMs - maxAgeMs;
      if (!tooMany && !tooOld && this.bytes <= byteLimit) break;
      this.dropOldest(oldest);
    }
    this.pruneDedup(nowMs);
  }

  private dropOldest(oldest: StoredMessage): void {
    this.slots[this.head] = undefined;
    this.head++;
    this.first = oldest.seq + 1;
    this.bytes -= oldest.size;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
    for (const observer of this.observers) observer.onDrop(oldest);
  }

  private duplicateWindowMs(): number {
    return duplicateWindowOf(this.spec);
  }

  private pruneDedup(nowMs: number): void {
    const window = this.duplicateWindowMs();
    for (const [id, entry] of this.dedup) {
      if (entry.atMs > nowMs - window) break;
      this.dedup.delete(id);
    }
  }

  private count(): number {
    return this.slots.length - this.head;
  }
}

function messageSize(message: { subject: string; data: Uint8Array; headers: Headers }): number {
  let size = message.subject.length + message.data.byteLength + 16;
  for (const [key, value] of Object.entries(message.headers)) size += key.length + value.length + 4;
  return size;
}
