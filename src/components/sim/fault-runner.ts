/**
 * Applies faults (on demand, or from the `--faults` schedule) to the running simulator:
 * connection faults go to every session; stall pauses data and pings; slow_start delays the
 * next handshake; rest_429 refuses REST for a while; format_switch changes the wire format.
 */
import type { Logger } from "../../adapters/log.js";
import type { WireFormat } from "../../core/kalshi/types.js";
import { DEFAULT_DURATION_MS, type FaultCommand, type FaultKind, type ScheduledFault } from "./fault-spec.js";
import type { Generator } from "./generator.js";
import type { KalshiWsServer } from "./ws-server.js";

export interface FaultTargets {
  ws: KalshiWsServer;
  generator: Generator;
  setFormat(format: WireFormat): void;
  block429For(ms: number): void;
  logger: Logger;
  count(kind: FaultKind): void;
}

export class FaultRunner {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly targets: FaultTargets) {}

  apply(fault: FaultCommand): void {
    const { ws, generator, logger } = this.targets;
    const duration = fault.durationMs ?? DEFAULT_DURATION_MS[fault.kind] ?? 0;
    this.targets.count(fault.kind);
    logger.info("fault injected", { kind: fault.kind, durationMs: duration || undefined });
    switch (fault.kind) {
      case "stall":
        ws.setStalled(true);
        generator.setPaused(true);
        this.later(duration, () => {
          ws.setStalled(false);
          generator.setPaused(false);
        });
        return;
      case "slow_start":
        ws.setSlowStart(duration);
        return;
      case "rest_429":
        this.targets.block429For(duration);
        return;
      case "format_switch":
        this.targets.setFormat(fault.format ?? "current");
        return;
      default:
        ws.fault(fault.kind);
    }
  }

  schedule(faults: ScheduledFault[]): void {
    for (const { fault, atMs, everyMs } of faults) {
      const fire = () => {
        this.apply(fault);
        if (everyMs !== undefined) this.later(everyMs, fire);
      };
      this.later(atMs, fire);
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
