/**
 * Drives the world: each step is one piece of activity on a random active market (or a
 * lifecycle step when its simulated time has come). Simulated time advances by 1000/rate ms
 * per message, so the stream of events depends only on the seed, never on wall-clock timing;
 * the pacing timer only decides how many steps to take now.
 */
import type { MarketDataMessage } from "../../core/kalshi/types.js";
import { runLifecycleStep } from "./lifecycle.js";
import { stepMarket } from "./order-flow.js";
import type { World } from "./world.js";

export type Emit = (message: MarketDataMessage) => void;

const TICK_MS = 2;
/** Messages produced per tick at most, so sending gets the event loop between batches; a
 * generator that cannot keep up with `rate` runs slower rather than starving the sockets. */
const MAX_PER_TICK = 2000;
/** Simulated ms per message when the generator is driven by hand (rate 0). */
const MANUAL_MS_PER_MESSAGE = 10;

export class Generator {
  messages = 0;
  private simClock: number;
  private nextLifecycleMs: number;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private pausedAtMs = 0;
  private baseRealMs = 0;
  private baseMessages = 0;

  constructor(
    private readonly world: World,
    private readonly emit: Emit,
    private readonly rate: number,
    private readonly realNow: () => number,
  ) {
    this.simClock = world.nowMs;
    this.nextLifecycleMs = world.nowMs + world.options.lifecycleIntervalMs;
  }

  /** Takes steps until at least `count` more messages were emitted. */
  produce(count: number): void {
    const target = this.messages + count;
    const msPerMessage = this.rate > 0 ? 1000 / this.rate : MANUAL_MS_PER_MESSAGE;
    const counting: Emit = (message) => {
      this.messages++;
      this.simClock += msPerMessage;
      this.emit(message);
    };
    while (this.messages < target) {
      this.world.nowMs = Math.floor(this.simClock);
      if (this.world.nowMs >= this.nextLifecycleMs) {
        this.nextLifecycleMs += this.world.options.lifecycleIntervalMs;
        runLifecycleStep(this.world, counting);
        continue;
      }
      const active = this.world.activeMarkets();
      if (active.length === 0) {
        this.simClock = this.nextLifecycleMs;
        continue;
      }
      stepMarket(this.world, this.world.prng.pick(active), counting);
    }
  }

  start(): void {
    if (this.rate <= 0 || this.timer) return;
    this.rebase();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A stall: no data until resumed; the exchange's clock keeps running through it, and pacing
   * restarts from the resume time (no burst of the missed messages). */
  setPaused(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    if (paused) {
      this.pausedAtMs = this.realNow();
      return;
    }
    this.simClock += this.realNow() - this.pausedAtMs;
    this.rebase();
  }

  private rebase(): void {
    this.baseRealMs = this.realNow();
    this.baseMessages = this.messages;
  }

  private tick(): void {
    if (this.paused) return;
    const elapsed = this.realNow() - this.baseRealMs;
    const due = Math.floor((elapsed * this.rate) / 1000) - (this.messages - this.baseMessages);
    const cap = Math.min(MAX_PER_TICK, Math.max(1, Math.ceil(this.rate / 10)));
    if (due > 4 * cap) this.rebase(); // far behind: drop the backlog instead of bursting
    if (due > 0) this.produce(Math.min(due, cap));
  }
}
