/**
 * JetStream publishing without nats.js's per-request machinery. `js.publish` costs, per message,
 * a generator-driven async function, a request object with its own timer, a random mux token and
 * a NatsError built on every successful reply (RequestOne.cancel). Here one wildcard inbox
 * subscription receives every ack, the reply subject ends with a counter that keys the pending
 * entry, and one sweep timer fails the publishes whose ack did not come in time.
 *
 * Semantics are those of `js.publish`: the message goes out with `Nats-Msg-Id` and the caller's
 * headers, the ack is `{stream, seq, duplicate}`, a JetStream error reply or "no responders"
 * (503) rejects, and a missing ack rejects after the timeout (the caller retries with the same
 * msg id; JetStream deduplicates). An ack arriving after its timeout is ignored.
 */
import { createInbox, type Msg, type NatsConnection, type Subscription } from "nats";
import { UnavailableError } from "../../core/errors.js";
import { mapNatsError } from "./nats-errors.js";
import { encodeHeaders, scanAck } from "./nats-publish-wire.js";
import type { Headers, PublishAck, PublishCallback } from "./types.js";

interface Pending {
  subject: string;
  deadlineMs: number;
  done: PublishCallback;
}

/** How often overdue publishes are looked for; a timeout fires at most this much late. */
const SWEEP_EVERY_MS = 100;

export class JetStreamPublisher {
  private readonly inbox: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly nc: NatsConnection) {
    this.inbox = `${createInbox()}.`;
    this.subscription = nc.subscribe(`${this.inbox}*`, { callback: (error, msg) => this.onAck(error, msg) });
  }

  publish(
    subject: string,
    data: Uint8Array,
    msgId: string | undefined,
    headers: Headers | undefined,
    timeoutMs: number,
  ): Promise<PublishAck> {
    return new Promise<PublishAck>((resolve, reject) => {
      this.send(subject, data, msgId, headers, timeoutMs, (error, ack) =>
        error === undefined ? resolve(ack!) : reject(error),
      );
    });
  }

  /** Publishes; `done` is called exactly once, with the ack or a typed error. */
  send(
    subject: string,
    data: Uint8Array,
    msgId: string | undefined,
    headers: Headers | undefined,
    timeoutMs: number,
    done: PublishCallback,
  ): void {
    const id = this.nextId++;
    try {
      this.nc.publish(subject, data, { reply: this.inbox + id, headers: encodeHeaders(msgId, headers) });
    } catch (error) {
      done(mapNatsError(error, `publish to '${subject}'`), undefined);
      return;
    }
    this.pending.set(id, { subject, deadlineMs: Date.now() + timeoutMs, done });
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  /** Fails every publish still waiting for its ack (call once the connection is drained or closed). */
  close(): void {
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
    this.failAll(new Error("connection closed"));
  }

  /**
   * nats.js calls subscription callbacks straight from its protocol parser: a callback that threw
   * there would break the parser mid-buffer. A throwing `done` is rethrown on its own instead,
   * as loud as an unhandled rejection of the promise form.
   */
  private onAck(error: unknown, msg: Msg): void {
    try {
      this.dispatchAck(error, msg);
    } catch (thrown) {
      queueMicrotask(() => {
        throw thrown;
      });
    }
  }

  private dispatchAck(error: unknown, msg: Msg): void {
    if (error) return; // subscription-level errors (permissions, closed) surface as timeouts
    const id = Number(msg.subject.slice(this.inbox.length));
    const entry = this.pending.get(id);
    if (!entry) return; // late ack of a publish that already timed out
    this.pending.delete(id);
    if (msg.headers?.code === 503 || msg.data.length === 0) {
      entry.done(mapNatsError({ code: "503" }, `publish to '${entry.subject}'`), undefined);
      return;
    }
    settle(entry, msg.data);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.pending) {
      if (entry.deadlineMs > now) continue;
      this.pending.delete(id);
      entry.done(
        new UnavailableError(`publish to '${entry.subject}': no JetStream ack in time (TIMEOUT)`),
        undefined,
      );
    }
    if (this.pending.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(cause: unknown): void {
    for (const entry of this.pending.values()) {
      entry.done(mapNatsError(cause, `publish to '${entry.subject}'`), undefined);
    }
    this.pending.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

/** `{"stream":"S","seq":N[,"duplicate":true]}` resolves; `{"error":{...}}` rejects. */
function settle(entry: Pending, data: Uint8Array): void {
  const fast = scanAck(data);
  if (fast) {
    entry.done(undefined, fast);
    return;
  }
  let reply: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: unknown };
  try {
    reply = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"));
  } catch (error) {
    entry.done(mapNatsError(error, `publish to '${entry.subject}': unreadable ack`), undefined);
    return;
  }
  if (reply.error !== undefined) {
    entry.done(mapNatsError({ api_error: reply.error }, `publish to '${entry.subject}'`), undefined);
    return;
  }
  if (typeof reply.stream !== "string" || reply.stream === "" || typeof reply.seq !== "number") {
    entry.done(mapNatsError(new Error("invalid JetStream ack"), `publish to '${entry.subject}'`), undefined);
    return;
  }
  entry.done(undefined, { stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true });
}
