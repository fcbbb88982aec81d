/**
 * The floor under bench/gateway-fanout.ts's latency: the same frames at the same rates read back
 * by one plain ordered consumer (no gateway, no WebSocket), latency measured the same way (the
 * trade id carries the publish time). What this shows at a rate is what NATS and the machine's
 * load alone cost before the gateway does anything. The consumer runs in the publisher's process.
 */
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../src/adapters/log.js";

export interface FloorStep {
  rateIn: number;
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

const LAT = Buffer.from("lat-");
const epochUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

function publishedUs(data: Uint8Array): number | undefined {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const at = buffer.indexOf(LAT);
  if (at < 0) return undefined;
  let us = 0;
  for (let i = at + 4; i < buffer.length; i++) {
    const digit = buffer[i]! - 48;
    if (digit < 0 || digit > 9) break;
    us = us * 10 + digit;
  }
  return us;
}

export async function natsFloor(
  natsUrl: string,
  stream: string,
  rates: number[],
  feedAt: (rate: number, ms: number) => Promise<number>,
  timing: { warmupMs: number; measureMs: number },
): Promise<FloorStep[]> {
  const bus = await connectNatsBus({ url: natsUrl, name: "bench-floor", logger: silentLogger });
  const consumer = await bus.consume({ stream, deliverFrom: { kind: "new" }, batch: 1024 });
  let samples: number[] = [];
  let measuring = false;
  const reading = (async () => {
    for await (const message of consumer) {
      if (!measuring) continue;
      const us = publishedUs(message.data);
      if (us !== undefined) samples.push(epochUs() - us);
    }
  })();
  const steps: FloorStep[] = [];
  try {
    for (const rate of rates) {
      const fed = feedAt(rate, timing.warmupMs + timing.measureMs);
      await new Promise((resolve) => setTimeout(resolve, timing.warmupMs));
      samples = [];
      measuring = true;
      await fed;
      measuring = false;
      const sorted = samples.sort((a, b) => a - b);
      const at = (p: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
      steps.push({
        rateIn: rate,
        p50Ms: Math.round(at(50) / 10) / 100,
        p99Ms: Math.round(at(99) / 10) / 100,
        samples: sorted.length,
      });
    }
  } finally {
    await consumer.close();
    await reading;
    await bus.close();
  }
  return steps;
}
