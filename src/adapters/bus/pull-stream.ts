/**
 * Turns a pull source (`tryNext()` + a change signal) into a MessageStream: an async iterator
 * that waits for new messages, redelivery deadlines or close, and whose close() ends a pending
 * next() at once (STYLE.md §1).
 */
import type { BusMessage, MessageStream } from "./types.js";
import type { Wakeup } from "./wakeup.js";

/** Re-check at least this often, so retention and an injected clock take effect while idle. */
const MAX_IDLE_WAIT_MS = 1000;

export interface PullSource {
  readonly changed: Wakeup;
  tryNext(): BusMessage | undefined;
  /** Milliseconds until a timed event (a redelivery) may produce a message; undefined = none. */
  msUntilDue(): number | undefined;
}

export function openPullStream(source: PullSource, onClose: () => void): MessageStream {
  let closed = false;
  const next = async (): Promise<IteratorResult<BusMessage>> => {
    while (!closed) {
      const message = source.tryNext();
      if (message) return { value: message, done: false };
      await source.changed.wait(Math.min(source.msUntilDue() ?? MAX_IDLE_WAIT_MS, MAX_IDLE_WAIT_MS));
    }
    return { value: undefined, done: true };
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    onClose();
    source.changed.wake();
  };
  return {
    close,
    [Symbol.asyncIterator]() {
      return {
        next,
        async return() {
          await close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
