/**
 * A live reader on the demo's stream that counts messages per channel (trade, ticker,
 * orderbook, lifecycle, status.gap, ...) for the status screen. It is an ordinary ephemeral
 * consumer, so it shows exactly what is on the bus, memory or NATS alike.
 */
import type { Bus, MessageStream } from "../../adapters/bus/types.js";
import { parseSubject } from "../../core/subjects.js";

export interface ChannelCounts {
  total: number;
  byChannel: Record<string, number>;
}

export class ChannelTap {
  private readonly counts = new Map<string, number>();
  private total = 0;
  private reading: Promise<void> | undefined;

  private constructor(
    private readonly stream: MessageStream,
    private readonly prefix: string,
  ) {}

  /** Counts from stream sequence `fromSeq` on. */
  static async open(bus: Bus, stream: string, prefix: string, fromSeq: number): Promise<ChannelTap> {
    const consumer = await bus.consume({ stream, deliverFrom: { kind: "seq", seq: fromSeq } });
    const tap = new ChannelTap(consumer, prefix);
    tap.reading = tap.read();
    return tap;
  }

  snapshot(): ChannelCounts {
    return { total: this.total, byChannel: Object.fromEntries(this.counts) };
  }

  async close(): Promise<void> {
    await this.stream.close();
    await this.reading;
  }

  private async read(): Promise<void> {
    for await (const message of this.stream) {
      const channel = channelOf(message.subject, this.prefix);
      this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
      this.total += 1;
    }
  }
}

/** "trade" for data subjects, "status.gap" for status records, "other" for anything else. */
export function channelOf(subject: string, prefix: string): string {
  const parsed = parseSubject(subject, prefix);
  if (!parsed) return "other";
  if (parsed.kind === "json") return parsed.channel;
  if (parsed.kind === "status") return `status.${parsed.channel}`;
  return parsed.kind;
}
