/**
 * Test helpers for bus suites: a reader that keeps one pending next() across timed reads (so a
 * timed-out read never leaves a second concurrent next()), unique names, and polling.
 */
import { randomBytes } from "node:crypto";
import type { BusMessage, MessageStream } from "../../src/adapters/bus/types.js";

export interface TimedReader {
  /** The next message, or undefined when none arrives within `timeoutMs` (or the stream ended). */
  read(timeoutMs?: number): Promise<BusMessage | undefined>;
  /** Reads `count` messages, failing if they do not all arrive within `timeoutMs`. */
  take(count: number, timeoutMs?: number): Promise<BusMessage[]>;
  /** Resolves true once the iterator reports done. */
  ended(timeoutMs: number): Promise<boolean>;
}

export function timedReader(stream: MessageStream): TimedReader {
  const iterator = stream[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<BusMessage>> | undefined;
  let done = false;
  const race = async (timeoutMs: number): Promise<IteratorResult<BusMessage> | "timeout"> => {
    pending ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([pending, timeout]);
    clearTimeout(timer);
    if (result !== "timeout") pending = undefined;
    return result;
  };
  const reader: TimedReader = {
    async read(timeoutMs = 3000) {
      if (done) return undefined;
      const result = await race(timeoutMs);
      if (result === "timeout") return undefined;
      if (result.done) done = true;
      return result.done ? undefined : result.value;
    },
    async take(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const out: BusMessage[] = [];
      while (out.length < count) {
        const message = await reader.read(Math.max(1, deadline - Date.now()));
        if (!message) throw new Error(`expected ${count} messages, got ${out.length} within ${timeoutMs} ms`);
        out.push(message);
      }
      return out;
    },
    async ended(timeoutMs) {
      if (done) return true;
      const result = await race(timeoutMs);
      return result !== "timeout" && result.done === true;
    },
  };
  return reader;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`.toUpperCase();
}

export const text = (value: string): Uint8Array => new TextEncoder().encode(value);
export const decode = (value: Uint8Array): string => new TextDecoder().decode(value);

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
