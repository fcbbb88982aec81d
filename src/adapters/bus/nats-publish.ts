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
import { createInbox, type Msg, type NatsConnection, headers as natsHeaders, type Subscription } from "nats";
import { UnavailableError } from "../../core/errors.js";
import { mapNatsError } from "./nats-errors.js";
import type { Headers, PublishAck } from "./types.js";

interface Pending {
  subject: string;
  deadlineMs: number;
  resolve(ack: PublishAck): void;
  reject(error: unknown): void;
}

const MSG_ID_HEADER = "Nats-Msg-Id";
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
      const id = this.nextId++;
      try {
        this.nc.publish(subject, data, { reply: this.inbox + id, headers: encodeHeaders(msgId, headers) });
      } catch (error) {
        reject(mapNatsError(error, `publish to '${subject}'`));
        return;
      }
      this.pending.set(id, { subject, deadlineMs: Date.now() + timeoutMs, resolve, reject });
      this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
    });
  }

  /** Fails every publish still waiting for its ack (call once the connection is drained or closed). */
  close(): void {
    if (!this.subscription.isClosed()) this.subscription.unsubscribe();
    this.failAll(new Error("connection closed"));
  }

  private onAck(error: unknown, msg: Msg): void {
    if (error) return; // subscription-level errors (permissions, closed) surface as timeouts
    const id = Number(msg.subject.slice(this.inbox.length));
    const entry = this.pending.get(id);
    if (!entry) return; // late ack of a publish that already timed out
    this.pending.delete(id);
    if (msg.headers?.code === 503 || msg.data.length === 0) {
      entry.reject(mapNatsError({ code: "503" }, `publish to '${entry.subject}'`));
      return;
    }
    settle(entry, msg.data);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.pending) {
      if (entry.deadlineMs > now) continue;
      this.pending.delete(id);
      entry.reject(new UnavailableError(`publish to '${entry.subject}': no JetStream ack in time (TIMEOUT)`));
    }
    if (this.pending.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(cause: unknown): void {
    for (const entry of this.pending.values()) {
      entry.reject(mapNatsError(cause, `publish to '${entry.subject}'`));
    }
    this.pending.clear();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}

function encodeHeaders(msgId: string | undefined, headers: Headers | undefined) {
  const hdrs = natsHeaders();
  if (msgId !== undefined) hdrs.set(MSG_ID_HEADER, msgId);
  if (headers) for (const key in headers) hdrs.set(key, headers[key]!);
  return hdrs;
}

/** `{"stream":"S","seq":N[,"duplicate":true]}` resolves; `{"error":{...}}` rejects. */
function settle(entry: Pending, data: Uint8Array): void {
  let reply: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: unknown };
  try {
    reply = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8"));
  } catch (error) {
    entry.reject(mapNatsError(error, `publish to '${entry.subject}': unreadable ack`));
    return;
  }
  if (reply.error !== undefined) {
    entry.reject(mapNatsError({ api_error: reply.error }, `publish to '${entry.subject}'`));
    return;
  }
  if (typeof reply.stream !== "string" || reply.stream === "" || typeof reply.seq !== "number") {
    entry.reject(mapNatsError(new Error("invalid JetStream ack"), `publish to '${entry.subject}'`));
    return;
  }
  entry.resolve({ stream: reply.stream, seq: reply.seq, duplicate: reply.duplicate === true });
}
