/**
 * The in-process bus (`ssmd demo`, tests): JetStream semantics without a server. Streams with
 * wildcard subjects, sequences, Nats-Msg-Id dedup, limits retention; durable consumers with
 * ack/nak, redelivery after ackWait and a maxAckPending window; ephemeral consumers. Memory is
 * bounded: every stream is capped at `maxBytesPerStream` even when its spec sets no limit.
 */
import { ConfigError, NotFoundError, UnavailableError } from "../../core/errors.js";
import { MemoryConsumer } from "./memory-consumer.js";
import { MemoryStream } from "./memory-stream.js";
import { openPullStream } from "./pull-stream.js";
import { validateConsumerSpec, validateStreamSpec } from "./spec-validation.js";
import { patternsOverlap } from "./subject-match.js";
import type {
  Bus,
  BusMessage,
  ConsumerSpec,
  MessageStream,
  PublishAck,
  PublishOptions,
  StreamSpec,
} from "./types.js";

export interface MemoryBusOptions {
  /** Hard cap per stream (oldest dropped first). Default 256 MiB. */
  maxBytesPerStream?: number;
  /** Clock, Unix ms (tests inject one). */
  now?: () => number;
  /**
   * Sequence of the first message of every new stream (default 1). A process-local stream starts
   * empty on every run; `ssmd demo` continues after what its archive already holds, so an archiver
   * that remembers sequences does not take the new messages for redeliveries.
   */
  firstSeq?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const MAX_ROUTES = 50_000;

export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const now = options.now ?? Date.now;
  const byteCap = options.maxBytesPerStream ?? DEFAULT_MAX_BYTES;
  const streams = new Map<string, MemoryStream>();
  const durables = new Map<string, MemoryConsumer>();
  const open = new Set<MessageStream>();
  let closed = false;

  const requireOpen = () => {
    if (closed) throw new UnavailableError("the in-process bus is closed");
  };
  const requireStream = (name: string): MemoryStream => {
    const stream = streams.get(name);
    if (!stream) throw new NotFoundError("stream", name, [...streams.keys()]);
    return stream;
  };
  // Subject → stream lookups are cached (ssmd publishes to a few thousand subjects at most).
  const routes = new Map<string, MemoryStream | undefined>();
  const streamFor = (subject: string): MemoryStream | undefined => {
    if (routes.has(subject)) return routes.get(subject);
    const found = [...streams.values()].find((stream) => stream.matchesSubject(subject));
    if (routes.size >= MAX_ROUTES) routes.clear();
    routes.set(subject, found);
    return found;
  };

  const consumerFor = (spec: ConsumerSpec, stream: MemoryStream): MemoryConsumer => {
    if (spec.durable === undefined) return new MemoryConsumer(stream, spec, now);
    const key = `${spec.stream}/${spec.durable}`;
    const existing = durables.get(key);
    if (existing) {
      existing.reconfigure(spec);
      return existing;
    }
    const created = new MemoryConsumer(stream, spec, now);
    stream.observe(created);
    durables.set(key, created);
    return created;
  };

  return {
    kind: "memory",
    async ensureStream(spec: StreamSpec) {
      requireOpen();
      validateStreamSpec(spec);
      for (const other of streams.values()) {
        if (other.spec.name === spec.name) continue;
        assertNoOverlap(spec, other.spec);
      }
      routes.clear();
      const existing = streams.get(spec.name);
      if (existing) existing.update(spec, now());
      else streams.set(spec.name, new MemoryStream(spec, byteCap, options.firstSeq ?? 1, now()));
      return requireStream(spec.name).info(now());
    },
    async streamInfo(name: string) {
      requireOpen();
      return streams.get(name)?.info(now());
    },
    async publish(subject: string, data: Uint8Array, options: PublishOptions = {}): Promise<PublishAck> {
      requireOpen();
      const stream = streamFor(subject);
      if (!stream) throw new UnavailableError(`no stream accepts subject '${subject}'`);
      return stream.append(subject, data, options.headers ?? {}, options.msgId, now());
    },
    async consume(spec: ConsumerSpec): Promise<MessageStream> {
      requireOpen();
      validateConsumerSpec(spec);
      const stream = requireStream(spec.stream);
      const consumer = consumerFor(spec, stream);
      const detach = consumer.durable ? () => {} : stream.observe(consumer);
      const pull = openPullStream(consumer, () => {
        detach();
        open.delete(pull);
      });
      open.add(pull);
      return pull;
    },
    async getMessage(name: string, seq: number): Promise<BusMessage | undefined> {
      requireOpen();
      const stream = requireStream(name);
      stream.enforce(now());
      const stored = stream.get(seq);
      if (!stored) return undefined;
      const { subject, data, timestampMs } = stored;
      const headers = { ...stored.headers };
      return {
        subject,
        data,
        headers,
        header: (key) => headers[key],
        seq,
        timestampMs,
        deliveryCount: 1,
        pending: 0,
        ack() {},
        nak() {},
      };
    },
    onStatus() {},
    isConnected: () => !closed,
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...open].map((stream) => stream.close()));
    },
  };
}

function assertNoOverlap(spec: StreamSpec, other: StreamSpec): void {
  for (const mine of spec.subjects) {
    for (const theirs of other.subjects) {
      if (patternsOverlap(mine, theirs)) {
        throw new ConfigError(
          `stream '${spec.name}' subject '${mine}' overlaps stream '${other.name}' subject '${theirs}'`,
        );
      }
    }
  }
}
