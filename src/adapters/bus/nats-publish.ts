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
import {
  createInbox,
  type Msg,
  type MsgHdrs,
  MsgHdrsImpl,
  type NatsConnection,
  headers as natsHeaders,
  type Subscription,
} from "nats";
import { UnavailableError } from "../../core/errors.js";
import { mapNatsError } from "./nats-errors.js";
import type { Headers, PublishAck, PublishCallback } from "./types.js";

interface Pending {
  subject: string;
  deadlineMs: number;
  done: PublishCallback;
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

/**
 * The header block as nats.js would write it (`NATS/1.0`, then `\r\nKey: value` per header,
 * then a blank line), built as one string: nats.js's own `set` makes per header two key arrays,
 * a canonical-key pass, a regex test and a trim. Keys of letters, digits and `-` and values
 * without control characters or edge spaces come out byte-identical to nats.js; anything else
 * goes through nats.js's checks (which refuse CR/LF with an error).
 */
function encodeHeaders(msgId: string | undefined, headers: Headers | undefined): MsgHdrs {
  let wire = "NATS/1.0";
  if (msgId !== undefined) {
    if (!isPlainValue(msgId)) return checkedHeaders(msgId, headers);
    wire += `\r\n${MSG_ID_HEADER}: ${msgId}`;
  }
  if (headers) {
    for (const key in headers) {
      const value = headers[key]!;
      if (!isPlainKey(key) || !isPlainValue(value) || (key === MSG_ID_HEADER && msgId !== undefined)) {
        return checkedHeaders(msgId, headers);
      }
      wire += `\r\n${key}: ${value}`;
    }
  }
  return new WireHeaders(`${wire}\r\n\r\n`);
}

function checkedHeaders(msgId: string | undefined, headers: Headers | undefined): MsgHdrs {
  const hdrs = natsHeaders();
  if (headers) for (const key in headers) hdrs.set(key, headers[key]!);
  if (msgId !== undefined) hdrs.set(MSG_ID_HEADER, msgId); // the msg id wins, as in js.publish
  return hdrs;
}

const utf8 = new TextEncoder();

/** Headers already in wire form; nats.js calls only encode() when it publishes. */
class WireHeaders extends MsgHdrsImpl {
  constructor(private readonly wire: string) {
    super();
  }

  override toString(): string {
    return this.wire;
  }

  override encode(): Uint8Array {
    return utf8.encode(this.wire);
  }
}

function isPlainKey(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    const letterOrDigit =
      (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!letterOrDigit && code !== 45) return false;
  }
  return true;
}

function isPlainValue(value: string): boolean {
  if (value.charCodeAt(0) === 32 || value.charCodeAt(value.length - 1) === 32) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 32 || code === 127) return false;
  }
  return true;
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

const ACK_PREFIX = Buffer.from('{"stream":"');
const SEQ_KEY = Buffer.from('"seq":');
const DUPLICATE_KEY = Buffer.from('"duplicate":');
const ERROR_KEY = Buffer.from('"error"');
let lastStream = { bytes: Buffer.alloc(0), name: "" };

/**
 * The server's ack as it writes it — `{"stream":"S", "seq":N}`, `{"stream":"S", "seq":N,"duplicate": true}`
 * (spacing varies by server version; a "domain" may sit before "seq") —
 * read without JSON.parse (the stream name is decoded once and reused). Anything else, error
 * replies included, answers undefined and goes through JSON.parse.
 */
function scanAck(data: Uint8Array): PublishAck | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < 20 || bytes[bytes.length - 1] !== 0x7d || !bytes.subarray(0, 11).equals(ACK_PREFIX)) {
    return undefined;
  }
  const nameEnd = bytes.indexOf(0x22, ACK_PREFIX.length);
  if (nameEnd <= ACK_PREFIX.length || bytes.lastIndexOf(0x5c) >= 0 || bytes.indexOf(ERROR_KEY) >= 0) {
    return undefined;
  }
  const seqAt = bytes.indexOf(SEQ_KEY, nameEnd);
  if (seqAt < 0) return undefined;
  let seq = 0;
  let at = skipSpaces(bytes, seqAt + SEQ_KEY.length);
  const digitsFrom = at;
  for (; at < bytes.length && bytes[at]! >= 0x30 && bytes[at]! <= 0x39; at += 1)
    seq = seq * 10 + bytes[at]! - 0x30;
  if (at === digitsFrom || (bytes[at] !== 0x2c && bytes[at] !== 0x7d)) return undefined;
  const name = bytes.subarray(ACK_PREFIX.length, nameEnd);
  if (!name.equals(lastStream.bytes)) lastStream = { bytes: Buffer.from(name), name: name.toString("utf8") };
  const duplicateAt = bytes.indexOf(DUPLICATE_KEY, at);
  const duplicate = duplicateAt >= 0 && bytes[skipSpaces(bytes, duplicateAt + DUPLICATE_KEY.length)] === 0x74; // t
  return { stream: lastStream.name, seq, duplicate };
}

function skipSpaces(bytes: Buffer, at: number): number {
  while (bytes[at] === 0x20) at += 1;
  return at;
}
