/**
 * Where a replay goes: stdout as NDJSON archive lines, or NATS JetStream under a separate
 * prefix (`replay.{prefix}...`) so live subjects and streams are never touched.
 */
import type { Bus } from "../../adapters/bus/types.js";
import { ValidationError } from "../../core/errors.js";
import { HEADER_RECV_US, type StreamRecord } from "../../core/record.js";
import type { ReplaySink } from "./replay-engine.js";

const FLUSH_BYTES = 64 * 1024;

/**
 * Archive lines on a writable stream, batched, waiting for 'drain' when it is full. A reader
 * that goes away (EPIPE from `| head`) ends the replay quietly.
 */
export function ndjsonSink(out: NodeJS.WritableStream): ReplaySink {
  let pending = "";
  let broken = false;
  let wake: (() => void) | undefined;
  out.on("error", () => {
    broken = true;
    wake?.();
  });
  const flush = async () => {
    if (pending.length === 0 || broken) return;
    const ok = out.write(pending);
    pending = "";
    if (!ok && !broken) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        out.once("drain", () => resolve());
      });
    }
  };
  return {
    async write(record) {
      pending += `{"rt":${record.rt},"seq":${record.seq},"subject":${JSON.stringify(record.subject)},"msg":${record.msg}}\n`;
      if (pending.length >= FLUSH_BYTES) await flush();
    },
    close: flush,
    isClosed: () => broken,
  };
}

/** `prod.kalshi.json.trade.X` → `replay.{prefix}.json.trade.X` (prefix defaults to the original one). */
export function replaySubject(subject: string, prefix?: string): string {
  if (prefix === undefined) return `replay.${subject}`;
  const at = subject.search(/\.(json|status|secmaster)\./);
  return `replay.${prefix}${at < 0 ? `.${subject}` : subject.slice(at)}`;
}

export function validateReplayPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new ValidationError(`invalid replay prefix '${prefix}'`, [
      "dot-separated tokens of letters, digits, '_' or '-'",
    ]);
  }
  return prefix;
}

export interface NatsSinkOptions {
  prefix?: string;
  /** Publishes allowed in flight before waiting for acks (order is kept by the connection). */
  window?: number;
}

export const HEADER_ORIGINAL_SEQ = "Ssmd-Orig-Seq";

export function busSink(bus: Bus, options: NatsSinkOptions = {}): ReplaySink {
  const window = options.window ?? 256;
  let inFlight: Promise<unknown>[] = [];
  const encoder = new TextEncoder();
  return {
    async write(record: StreamRecord) {
      const headers = { [HEADER_RECV_US]: String(record.rt), [HEADER_ORIGINAL_SEQ]: String(record.seq) };
      inFlight.push(
        bus.publish(replaySubject(record.subject, options.prefix), encoder.encode(record.msg), { headers }),
      );
      if (inFlight.length >= window) {
        const batch = inFlight;
        inFlight = [];
        await Promise.all(batch);
      }
    },
    async close() {
      const batch = inFlight;
      inFlight = [];
      await Promise.all(batch);
    },
  };
}
