/**
 * Keeps the secmaster current between syncs: consumes the connector's lifecycle stream
 * (`{prefix}.json.lifecycle.>`) with a durable consumer, applies each message as a partial
 * update with history (source lifecycle:<event_type>), records the lifecycle event, and acks
 * only after the database committed. Malformed frames are counted and acked (never retried
 * forever); a database outage naks for redelivery and turns ready() false. A timer applies the
 * transitions Kalshi does not announce (open_time, close_time). A new durable consumer starts
 * with messages published from then on (a sync is the baseline); it then resumes where it stopped.
 */
import type { Bus, BusMessage, MessageStream } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { errorMessage, UnavailableError } from "../../core/errors.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type { EventLifecycle, MarketLifecycle } from "../../core/kalshi/types.js";
import { HEADER_RECV_US } from "../../core/record.js";
import { parentTicker } from "./canonical.js";
import { applyClockTransitions } from "./clock-transitions.js";
import { EVENTS, MARKETS } from "./entity-specs.js";
import { eventPatch, marketPatch, occurredAt } from "./lifecycle-patch.js";
import { ParentResolver } from "./parents.js";
import type { SecmasterStore } from "./secmaster-store.js";

export interface LifecycleApplierConfig {
  stream: string;
  prefix: string;
  /** Durable consumer name, e.g. secmaster-prod. */
  durable: string;
  /** How often the clock transitions run; 0 = never. */
  clockCheckMs: number;
}

export interface LifecycleApplierDeps {
  bus: Bus;
  store: SecmasterStore;
  logger: Logger;
  now: () => number;
}

export interface LifecycleApplierStats {
  applied: number;
  ignored: number;
  invalid: number;
  failed: number;
}

export class LifecycleApplier {
  readonly stats: LifecycleApplierStats = { applied: 0, ignored: 0, invalid: 0, failed: 0 };
  private stream: MessageStream | undefined;
  private loop: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private healthy = false;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly config: LifecycleApplierConfig,
    private readonly deps: LifecycleApplierDeps,
  ) {}

  async start(): Promise<void> {
    this.stream = await this.deps.bus.consume({
      stream: this.config.stream,
      durable: this.config.durable,
      filterSubjects: [`${this.config.prefix}.json.lifecycle.>`],
      // A new durable starts at "now": the sync is the baseline. An existing one resumes where it left off.
      deliverFrom: { kind: "new" },
      ackWaitMs: 30_000,
      maxAckPending: 256,
    });
    this.healthy = true;
    const stream = this.stream;
    this.loop = (async () => {
      for await (const message of stream) await this.handle(message);
    })();
    if (this.config.clockCheckMs > 0) {
      this.timer = setInterval(() => void this.tick(), this.config.clockCheckMs);
      this.timer.unref();
    }
  }

  ready(): boolean {
    return this.healthy;
  }

  /** Stops intake, lets the message in hand finish, then returns. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.stream?.close();
    await this.loop?.catch(() => {});
  }

  /** Clock transitions; also the database probe behind ready() when no messages flow. */
  async tick(): Promise<void> {
    try {
      await applyClockTransitions(this.deps.store, this.deps.now());
      this.healthy = true;
    } catch (error) {
      if (error instanceof UnavailableError) this.healthy = false;
      this.deps.logger.warn("clock transitions failed", { error: errorMessage(error) });
    }
  }

  private async handle(message: BusMessage): Promise<void> {
    const parsed = parseFrame(this.decoder.decode(message.data));
    if (!parsed.ok) return this.finish(message, "invalid", "frame", parsed.error.message);
    const frame = parsed.message;
    try {
      if (frame.kind === "market_lifecycle_v2" || frame.kind === "multivariate_market_lifecycle")
        await this.applyMarket(frame, receivedMs(message));
      else if (frame.kind === "event_lifecycle") await this.applyEvent(frame, receivedMs(message));
      else return this.finish(message, "ignored", frame.kind);
    } catch (error) {
      if (error instanceof UnavailableError) {
        this.healthy = false;
        this.count("failed", frame.kind);
        this.deps.logger.warn("database unavailable; lifecycle message will be redelivered", {
          error: error.message,
        });
        return message.nak(2000);
      }
      return this.finish(message, "invalid", frame.kind, errorMessage(error));
    }
    this.healthy = true;
    this.finish(message, "applied", "eventType" in frame ? String(frame.eventType) : frame.kind);
  }

  private async applyMarket(frame: MarketLifecycle, received: number): Promise<void> {
    const values = marketPatch(frame);
    const atMs = occurredAt(frame, received);
    const known = await this.deps.store.knownKeys("market", [frame.ticker]);
    if (!known.has(frame.ticker)) {
      const eventTicker = values.event_ticker ?? parentTicker(frame.ticker);
      const parents = new ParentResolver(this.deps.store);
      await parents.prepare([eventTicker]);
      const { seriesTicker, category } = parents.parentsOf(eventTicker);
      Object.assign(values, { event_ticker: eventTicker, series_ticker: seriesTicker, category });
    }
    const source = `lifecycle:${frame.eventType}`;
    await this.deps.store.apply(MARKETS, [{ key: frame.ticker, values }], { source, atMs, partial: true });
    await this.deps.store.recordLifecycle(
      frame.ticker,
      frame.eventType,
      atMs,
      JSON.stringify(frame),
      "lifecycle",
    );
  }

  private async applyEvent(frame: EventLifecycle, received: number): Promise<void> {
    const values = eventPatch(frame);
    const category = (await this.deps.store.categoryOfSeries([values.series_ticker ?? ""])).get(
      values.series_ticker ?? "",
    );
    if (category !== undefined) values.category = category;
    await this.deps.store.apply(EVENTS, [{ key: frame.eventTicker, values }], {
      source: "lifecycle:event",
      atMs: received,
      partial: true,
    });
    await this.deps.store.recordLifecycle(
      frame.eventTicker,
      "event_lifecycle",
      received,
      JSON.stringify(frame),
      "lifecycle",
    );
  }

  private finish(
    message: BusMessage,
    result: keyof LifecycleApplierStats,
    type: string,
    reason?: string,
  ): void {
    this.count(result, type);
    if (reason)
      this.deps.logger.warn("lifecycle message refused", { subject: message.subject, type, reason });
    message.ack();
  }

  private count(result: keyof LifecycleApplierStats, type: string): void {
    this.stats[result]++;
    this.deps.store.metrics.lifecycle.inc({ event_type: type, result });
    if (result === "invalid") this.deps.store.metrics.invalid.inc({ what: "lifecycle" });
  }
}

function receivedMs(message: BusMessage): number {
  const us = Number(message.header(HEADER_RECV_US));
  return Number.isFinite(us) && us > 0 ? Math.floor(us / 1000) : message.timestampMs;
}
