/**
 * Intake: hands consumed messages to the ArchiveWriter and keeps every write (a message, a
 * periodic tick, an epoch change) one at a time — the writer is not re-entrant. Messages that have
 * already arrived are taken in batches, without a promise per message.
 */
import type { BusMessage, MessageStream } from "../../adapters/bus/types.js";
import type { ArchiveWriter } from "./archive-writer.js";

/** Messages taken from the consumer per synchronous round. */
const INTAKE_BATCH = 512;

export class Intake {
  /** The write in progress; intake, ticks and serialized work wait for it. */
  private inflight: Promise<void> | undefined;
  /** The newest message handed to the writer: consumer lag is read from it when needed. */
  private last: BusMessage | undefined;

  constructor(
    private readonly writer: ArchiveWriter,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** True while a write is in progress. */
  get busy(): boolean {
    return this.inflight !== undefined;
  }

  /** Messages still pending on the consumer, as of the newest message handed to the writer. */
  get lag(): number {
    return this.last?.pending ?? 0;
  }

  /** The write in progress, if any (it never rejects). */
  settled(): Promise<void> | undefined {
    return this.inflight;
  }

  /** Runs `work` while nothing else writes (tick and intake wait for `inflight`). */
  async serialized(work: () => Promise<void>): Promise<void> {
    while (this.inflight) await this.inflight;
    const run = work();
    this.inflight = run.then(
      () => undefined,
      () => undefined,
    );
    try {
      await run;
    } finally {
      this.inflight = undefined;
    }
  }

  /** Starts the writer's periodic work (flush, rotation) unless a write is in progress. */
  tick(caughtUp: boolean): void {
    if (this.inflight) return;
    const work = this.writer.tick(caughtUp);
    if (!work) return;
    this.inflight = work.then(
      () => {
        this.inflight = undefined;
      },
      (error: unknown) => {
        this.inflight = undefined;
        this.fail(error);
      },
    );
  }

  /** Feeds the writer until the stream ends; returns the bus error that ended it, if any. */
  async consume(stream: MessageStream): Promise<unknown> {
    const messages = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<BusMessage>;
      try {
        next = await messages.next();
      } catch (error) {
        return error;
      }
      if (next.done) return undefined;
      try {
        const first = this.handle(next.value);
        if (first) await first;
        // whatever else has arrived is handled without a promise per message
        for (
          let ready = stream.takeReady?.(INTAKE_BATCH);
          ready?.length;
          ready = stream.takeReady?.(INTAKE_BATCH)
        ) {
          for (const msg of ready) {
            const work = this.handle(msg);
            if (work) await work;
          }
        }
      } catch (error) {
        this.fail(error);
        return undefined;
      }
    }
  }

  private handle(msg: BusMessage): Promise<void> | undefined {
    this.last = msg;
    if (this.inflight) return this.inflight.then(() => this.handle(msg));
    const work = this.writer.handle(msg);
    if (!work) return undefined;
    this.inflight = work;
    return work.finally(() => {
      this.inflight = undefined;
    });
  }
}
