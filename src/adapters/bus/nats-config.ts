/**
 * Translates the bus port's specs into JetStream API configs (and back). Durations are ms in
 * the port and nanoseconds on the wire. Multiple filter subjects need nats-server >= 2.10; older
 * servers get no server filter and the adapter filters on the client (acking skipped messages).
 */
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  type StreamInfo as NatsStreamInfo,
  nanos,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "nats";
import { DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_ACK_PENDING, duplicateWindowOf } from "./spec-validation.js";
import type { ConsumerSpec, DeliverFrom, StreamInfo, StreamLimits, StreamSpec } from "./types.js";

export function toStreamConfig(spec: StreamSpec): Partial<StreamConfig> & { name: string } {
  return {
    name: spec.name,
    subjects: [...spec.subjects],
    storage: spec.storage === "memory" ? StorageType.Memory : StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(spec.maxAgeMs ?? 0),
    max_bytes: spec.maxBytes && spec.maxBytes > 0 ? spec.maxBytes : -1,
    max_msgs: spec.maxMessages && spec.maxMessages > 0 ? spec.maxMessages : -1,
    duplicate_window: nanos(duplicateWindowOf(spec)),
    num_replicas: spec.replicas ?? 1,
  };
}

export function fromStreamInfo(info: NatsStreamInfo): StreamInfo {
  return {
    name: info.config.name,
    subjects: [...(info.config.subjects ?? [])],
    messages: info.state.messages,
    bytes: info.state.bytes,
    firstSeq: info.state.first_seq,
    lastSeq: info.state.last_seq,
    ...createdMsOf(info.created),
    limits: limitsOf(info.config),
  };
}

/** The server's limits in the port's units (JetStream: ns durations, -1 = unlimited). */
export function limitsOf(config: StreamConfig): StreamLimits {
  return {
    storage: config.storage === StorageType.Memory ? "memory" : "file",
    maxAgeMs: Math.round((config.max_age ?? 0) / 1e6),
    maxBytes: Math.max(0, config.max_bytes ?? 0),
    maxMessages: Math.max(0, config.max_msgs ?? 0),
    duplicateWindowMs: Math.round((config.duplicate_window ?? 0) / 1e6),
    replicas: config.num_replicas ?? 1,
  };
}

function createdMsOf(created: string | undefined): { createdMs?: number } {
  const ms = created === undefined ? Number.NaN : Date.parse(created);
  return Number.isFinite(ms) ? { createdMs: ms } : {};
}

export interface FilterPlan {
  server: Pick<ConsumerConfig, "filter_subject" | "filter_subjects">;
  /** Set when the server cannot filter on all subjects; the client must skip non-matching. */
  clientSide: string[] | undefined;
}

export function planFilter(filters: string[] | undefined, multiFilterSupported: boolean): FilterPlan {
  if (!filters || filters.length === 0) return { server: {}, clientSide: undefined };
  if (filters.length === 1) return { server: { filter_subject: filters[0]! }, clientSide: undefined };
  if (multiFilterSupported) return { server: { filter_subjects: [...filters] }, clientSide: undefined };
  return { server: {}, clientSide: [...filters] };
}

export function deliverPolicy(from: DeliverFrom | undefined): Partial<ConsumerConfig> {
  if (!from || from.kind === "all") return { deliver_policy: DeliverPolicy.All };
  if (from.kind === "new") return { deliver_policy: DeliverPolicy.New };
  if (from.kind === "last-per-subject") return { deliver_policy: DeliverPolicy.LastPerSubject };
  if (from.kind === "seq") return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from.seq };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(from.atMs).toISOString() };
}

export function durableConfig(spec: ConsumerSpec, plan: FilterPlan): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
    max_ack_pending: spec.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
    ...deliverPolicy(spec.deliverFrom),
    ...plan.server,
  };
}

/** True for nats-server versions that accept `filter_subjects` (2.10+). */
export function supportsMultiFilter(version: string | undefined): boolean {
  const [major = 0, minor = 0] = (version ?? "0.0").split(".").map((part) => Number.parseInt(part, 10));
  return major > 2 || (major === 2 && minor >= 10);
}
