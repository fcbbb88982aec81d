/**
 * JetStream consumers behind the MessageStream port.
 * Durable: explicit-ack pull consumer, bounded by max_ack_pending; messages arrive through a
 * nats.js consume() callback into a local queue; close() stops pulling and naks what was received
 * but never handed out, so a reopened durable resumes at once instead of after ack_wait.
 * Ephemeral: nats.js ordered consumer (no acks, recreated on gaps/reconnect) read as an iterator
 * whose pulls are paced by the reader.
 */
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, MsgHdrs } from "nats";
import { MessageQueue } from "./message-queue.js";
import { deliverPolicy, durableConfig, type FilterPlan, planFilter } from "./nats-config.js";
import { apiErrorCode, JS_CONSUMER_NOT_FOUND, mapNatsError } from "./nats-errors.js";
import { scanHeader } from "./nats-header-scan.js";
import { DEFAULT_MAX_ACK_PENDING } from "./spec-validation.js";
import { compileSubjectFilter } from "./subject-match.js";
import type { BusMessage, ConsumerSpec, Headers, MessageStream } from "./types.js";

export interface ConsumerContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  multiFilter: boolean;
  /** Round trip to the server (so an unsubscribe is processed before what follows). */
  flush(): Promise<void>;
}

export async function openDurable(ctx: ConsumerContext, spec: ConsumerSpec): Promise<MessageStream> {
  const plan = planFilter(spec.filterSubjects, ctx.multiFilter);
  await ensureDurable(ctx.jsm, spec, plan);
  const consumer = await ctx.js.consumers.get(spec.stream, spec.durable!);
  const queue = new MessageQueue<JsMsg>();
  const batch = spec.batch ?? Math.min(spec.maxAckPending ?? DEFAULT_MAX_ACK_PENDING, 256);
  const messages = await consumer.consume({ max_messages: batch, callback: (m) => queue.push(m) });
  watchClosed(messages, queue, spec);
  const keep = plan.clientSide ? compileSubjectFilter(plan.clientSide) : undefined;
  let closed = false;
  const takeReady = (max: number): BusMessage[] => {
    const out: BusMessage[] = [];
    while (!closed && out.length < max) {
      const m = queue.tryShift();
      if (!m) break;
      if (!keep || keep(m.subject)) out.push(toBusMessage(m, true));
      else m.ack();
    }
    return out;
  };
  const stream = toMessageStream(
    async () => {
      for (let m = await queue.shift(); m; m = await queue.shift()) {
        if (closed) {
          m.nak();
          break;
        }
        if (!keep || keep(m.subject)) return toBusMessage(m, true);
        m.ack();
      }
      return undefined;
    },
    async () => {
      closed = true;
      await messages.close().catch(() => undefined);
      await ctx.flush();
      // Newest first: the server then rewinds its cursor instead of queueing out-of-order redeliveries.
      for (const unread of queue.takeAll().reverse()) unread.nak();
      queue.end();
    },
  );
  return { ...stream, takeReady };
}

export async function openOrdered(ctx: ConsumerContext, spec: ConsumerSpec): Promise<MessageStream> {
  const plan = planFilter(spec.filterSubjects, ctx.multiFilter);
  const filterSubjects = plan.server.filter_subjects ?? plan.server.filter_subject;
  const consumer = await ctx.js.consumers
    .get(spec.stream, { ...orderedStart(spec), ...(filterSubjects ? { filterSubjects } : {}) })
    .catch((error: unknown) => {
      throw mapNatsError(error, `open consumer on stream '${spec.stream}'`, spec.stream);
    });
  const messages = await consumer.consume({ max_messages: spec.batch ?? 256 });
  const iterator = messages[Symbol.asyncIterator]();
  const keep = plan.clientSide ? compileSubjectFilter(plan.clientSide) : undefined;
  let closed = false;
  return toMessageStream(
    async () => {
      while (!closed) {
        const result = await iterator.next();
        if (result.done || closed) return undefined;
        if (!keep || keep(result.value.subject)) return toBusMessage(result.value, false);
      }
      return undefined;
    },
    async () => {
      closed = true;
      await messages.close().catch(() => undefined);
    },
  );
}

function orderedStart(spec: ConsumerSpec) {
  const policy = deliverPolicy(spec.deliverFrom);
  if (spec.deliverFrom === undefined || spec.deliverFrom.kind === "all") return {};
  return {
    deliver_policy: policy.deliver_policy,
    ...(policy.opt_start_seq !== undefined ? { opt_start_seq: policy.opt_start_seq } : {}),
    ...(policy.opt_start_time !== undefined ? { opt_start_time: policy.opt_start_time } : {}),
  };
}

async function ensureDurable(jsm: JetStreamManager, spec: ConsumerSpec, plan: FilterPlan): Promise<void> {
  const what = `durable consumer '${spec.durable}' on stream '${spec.stream}'`;
  try {
    const info = await jsm.consumers.info(spec.stream, spec.durable!);
    const wanted = durableConfig(spec, plan);
    const changed =
      info.config.ack_wait !== wanted.ack_wait || info.config.max_ack_pending !== wanted.max_ack_pending;
    if (changed) {
      await jsm.consumers.update(spec.stream, spec.durable!, {
        ack_wait: wanted.ack_wait,
        max_ack_pending: wanted.max_ack_pending,
      });
    }
  } catch (error) {
    if (apiErrorCode(error) !== JS_CONSUMER_NOT_FOUND) throw mapNatsError(error, what, spec.stream);
    await jsm.consumers.add(spec.stream, durableConfig(spec, plan)).catch((cause: unknown) => {
      throw mapNatsError(cause, `create ${what}`, spec.stream);
    });
  }
}

function watchClosed(messages: ConsumerMessages, queue: MessageQueue<JsMsg>, spec: ConsumerSpec): void {
  messages.closed().then(
    (error) => queue.end(error ? mapNatsError(error, `consumer '${spec.durable}'`, spec.stream) : undefined),
    (error: unknown) => queue.end(mapNatsError(error, `consumer '${spec.durable}'`, spec.stream)),
  );
}

function toMessageStream(
  read: () => Promise<BusMessage | undefined>,
  stop: () => Promise<void>,
): MessageStream {
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= stop();
    return closing;
  };
  return {
    close,
    [Symbol.asyncIterator]() {
      return {
        async next(): Promise<IteratorResult<BusMessage>> {
          const message = closing ? undefined : await read();
          return message ? { value: message, done: false } : { value: undefined, done: true };
        },
        async return() {
          await close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

export function headersOf(hdrs: MsgHdrs | undefined): Headers {
  const out: Headers = {};
  if (!hdrs) return out;
  for (const key of hdrs.keys()) out[key] = hdrs.get(key);
  return out;
}

/** A JetStream message as a BusMessage; headers and delivery info are decoded only when read. */
class NatsBusMessage implements BusMessage {
  private decodedHeaders: Headers | undefined;

  constructor(
    private readonly m: JsMsg,
    private readonly ackable: boolean,
  ) {}

  get subject(): string {
    return this.m.subject;
  }
  get data(): Uint8Array {
    return this.m.data;
  }
  get seq(): number {
    return this.m.seq;
  }
  get headers(): Headers {
    this.decodedHeaders ??= headersOf(this.m.headers);
    return this.decodedHeaders;
  }
  header(name: string): string | undefined {
    if (this.decodedHeaders) return this.decodedHeaders[name];
    const block = rawHeaderBlock(this.m);
    return block === null ? this.m.headers?.get(name) || undefined : block && scanHeader(block, name);
  }
  get timestampMs(): number {
    return Math.floor(this.m.info.timestampNanos / 1e6);
  }
  get deliveryCount(): number {
    return this.m.info.deliveryCount;
  }
  get pending(): number {
    return this.m.info.pending;
  }
  ack(): void {
    if (this.ackable) this.m.ack();
  }
  nak(delayMs?: number): void {
    if (this.ackable) this.m.nak(delayMs);
  }
}

/** nats.js keeps a received message's raw bytes as `msg._rdata`, headers first (`_msg.hdr` long). */
interface RawMessage {
  msg?: { _rdata?: Uint8Array; _msg?: { hdr?: number } };
}

/** The raw header block; undefined when the message has none; null when nats.js internals differ. */
function rawHeaderBlock(m: JsMsg): Uint8Array | undefined | null {
  const inner = (m as unknown as RawMessage).msg;
  const length = inner?._msg?.hdr;
  if (!inner?._rdata || typeof length !== "number") return null;
  return length > 0 ? inner._rdata.subarray(0, length) : undefined;
}

function toBusMessage(m: JsMsg, ackable: boolean): BusMessage {
  return new NatsBusMessage(m, ackable);
}
