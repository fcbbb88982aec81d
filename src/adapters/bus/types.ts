/**
 * The message-bus port. Two implementations pass one contract suite
 * (test/integration/bus-contract.test.ts): NATS JetStream (adapters/bus/nats-bus.ts) and an
 * in-process bus (adapters/bus/memory-bus.ts) used by `ssmd demo`. Components depend on this
 * interface only, never on nats.js directly.
 */
export type Headers = Record<string, string>;

export interface StreamSpec {
  name: string;
  subjects: string[];
  storage?: "file" | "memory";
  /** Retention: messages older than this are removed. 0 or undefined = unlimited. */
  maxAgeMs?: number;
  maxBytes?: number;
  maxMessages?: number;
  /** JetStream duplicate window for Nats-Msg-Id deduplication. Default 2 minutes. */
  duplicateWindowMs?: number;
  replicas?: number;
}

export interface StreamInfo {
  name: string;
  subjects: string[];
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  /** When this incarnation of the stream was created, Unix ms (a deleted and recreated stream differs). */
  createdMs?: number;
  /** The stream's effective retention as the bus reports it (0 = unlimited / no cap). */
  limits?: StreamLimits;
}

export interface StreamLimits {
  storage: "file" | "memory";
  maxAgeMs: number;
  maxBytes: number;
  maxMessages: number;
  duplicateWindowMs: number;
  replicas: number;
}

export interface PublishOptions {
  /** Deduplication key (Nats-Msg-Id). */
  msgId?: string;
  headers?: Headers;
  /** Max time to wait for the stream ack. */
  timeoutMs?: number;
}

export interface PublishAck {
  stream: string;
  seq: number;
  /** True when the stream already had this msgId inside its duplicate window. */
  duplicate: boolean;
}

/** Called exactly once per publishWithCallback: with the ack, or with the error publish would reject with. */
export type PublishCallback = (error: unknown, ack: PublishAck | undefined) => void;

export interface BusMessage {
  subject: string;
  data: Uint8Array;
  headers: Headers;
  /** One header's value (cheaper than `headers` on the NATS bus: no decode of the others). */
  header(name: string): string | undefined;
  /** Stream sequence. */
  seq: number;
  /** Time the stream stored the message, Unix ms. */
  timestampMs: number;
  /** How many times this message was delivered to this consumer (1 = first time). */
  deliveryCount: number;
  /** Messages still pending for this consumer after this one (consumer lag). */
  pending: number;
  ack(): void;
  /** Ask for redelivery, optionally after a delay. */
  nak(delayMs?: number): void;
}

export type DeliverFrom =
  | { kind: "all" }
  | { kind: "new" }
  | { kind: "seq"; seq: number }
  | { kind: "time"; atMs: number }
  | { kind: "last-per-subject" };

export interface ConsumerSpec {
  stream: string;
  /** Durable name; omit for an ephemeral, ordered consumer that does not need acks. */
  durable?: string;
  filterSubjects?: string[];
  deliverFrom?: DeliverFrom;
  /** Redelivery after this long without ack (durable only). */
  ackWaitMs?: number;
  /** Bounded window: at most this many unacked messages in flight (durable only). */
  maxAckPending?: number;
  /** Pull batch size. */
  batch?: number;
}

/** A running subscription; iterate it, close it to stop (pending next() resolves done). */
export interface MessageStream extends AsyncIterable<BusMessage> {
  close(): Promise<void>;
  /**
   * Optional fast path: up to `max` messages already received, without waiting (empty when none
   * or closed). Interleaves with iteration: both hand out the same sequence, each message once.
   */
  takeReady?(max: number): BusMessage[];
}

export interface Bus {
  readonly kind: "nats" | "memory";
  /** Creates the stream or checks/updates it to match the spec. */
  ensureStream(spec: StreamSpec): Promise<StreamInfo>;
  streamInfo(name: string): Promise<StreamInfo | undefined>;
  /** Publishes to a stream subject and waits for the stream's ack. */
  publish(subject: string, data: Uint8Array, options?: PublishOptions): Promise<PublishAck>;
  /** Optional promise-free form of publish for hot loops (the NATS bus has it); same semantics. */
  publishWithCallback?(
    subject: string,
    data: Uint8Array,
    options: PublishOptions,
    done: PublishCallback,
  ): void;
  consume(spec: ConsumerSpec): Promise<MessageStream>;
  /** Reads one message by stream sequence, undefined if absent (aged out or deleted). */
  getMessage(stream: string, seq: number): Promise<BusMessage | undefined>;
  /** Observes connection state changes (nats: disconnect/reconnect; memory: never fires). */
  onStatus(listener: (status: "connected" | "disconnected" | "reconnecting") => void): void;
  isConnected(): boolean;
  /** Flushes pending work and closes. */
  close(): Promise<void>;
}
