/**
 * The simulated exchange's world: series, events and markets (with books), the trade history
 * and the simulated clock. Deterministic for a seed: all randomness comes from one Prng and
 * time only moves when the generator advances it.
 */
import { countFromInteger } from "../../core/decimal.js";
import { createEvent, createMarket, dateCode, SERIES, type SeriesTemplate } from "./catalog.js";
import { priceGrid } from "./price-grid.js";
import { Prng } from "./prng.js";
import type { SimEvent, SimMarket, SimSeries, SimTrade } from "./world-types.js";

export interface WorldOptions {
  seed: number;
  markets: number;
  startTimeMs: number;
  /** Simulated ms between lifecycle steps (one market closes, one opens). */
  lifecycleIntervalMs: number;
  /** Trades kept for GET /markets/trades. */
  tradeHistory: number;
}

export class World {
  readonly prng: Prng;
  readonly series = new Map<string, SimSeries>();
  readonly events = new Map<string, SimEvent>();
  /** Every market ever listed, in listing order (REST pagination relies on this order). */
  readonly markets = new Map<string, SimMarket>();
  readonly trades: SimTrade[] = [];
  nowMs: number;
  tradeCount = 0;
  /** The undocumented monotonic "Clock" Kalshi puts on legacy ticker frames. */
  clock = 0;
  private templateCursor = 0;
  private activeCache: SimMarket[] | undefined;
  private readonly openEvents = new Map<string, { event: SimEvent; used: number }>();

  constructor(readonly options: WorldOptions) {
    this.prng = new Prng(options.seed);
    this.nowMs = options.startTimeMs;
    for (const template of SERIES) this.series.set(template.ticker, seriesOf(template));
  }

  /** Lists the initial markets; the i-th closes i+1 lifecycle intervals from the start. */
  populate(): SimMarket[] {
    const created: SimMarket[] = [];
    for (let index = 0; index < this.options.markets; index++) {
      const closeMs = this.nowMs + (index + 1) * this.options.lifecycleIntervalMs;
      created.push(this.listMarket(this.nowMs - 3_600_000, closeMs).market);
    }
    return created;
  }

  /** Lists a market in the next series (round robin), opening a new event when needed. */
  listMarket(openMs: number, closeMs: number): { market: SimMarket; newEvent: SimEvent | undefined } {
    const template = SERIES[this.templateCursor % SERIES.length]!;
    this.templateCursor++;
    let slot = this.openEvents.get(template.ticker);
    let newEvent: SimEvent | undefined;
    const sameDate =
      slot && dateCode(slot.event.strikeDateMs, template.hourly) === dateCode(closeMs, template.hourly);
    if (!slot || !sameDate || slot.used >= template.marketsPerEvent) {
      newEvent = this.newEvent(template, closeMs);
      slot = { event: newEvent, used: 0 };
      this.openEvents.set(template.ticker, slot);
    }
    const times = { nowMs: this.nowMs, openMs, closeMs };
    const market = createMarket(template, slot.event, slot.used, times, this.prng);
    slot.used++;
    seedBook(market, this.prng);
    this.markets.set(market.ticker, market);
    this.statusChanged();
    return { market, newEvent };
  }

  private newEvent(template: SeriesTemplate, strikeMs: number): SimEvent {
    for (let serial = 0; ; serial++) {
      const event = createEvent(template, strikeMs, this.nowMs, serial);
      if (!this.events.has(event.eventTicker)) {
        this.events.set(event.eventTicker, event);
        return event;
      }
    }
  }

  /** Markets open for trading (cached; call statusChanged() after changing a status). */
  activeMarkets(): SimMarket[] {
    this.activeCache ??= [...this.markets.values()].filter((market) => market.status === "active");
    return this.activeCache;
  }

  statusChanged(): void {
    this.activeCache = undefined;
  }

  recordTrade(trade: Omit<SimTrade, "number">): SimTrade {
    const full = trade as SimTrade;
    full.number = ++this.tradeCount;
    this.trades.push(full);
    if (this.trades.length > this.options.tradeHistory * 2) {
      this.trades.splice(0, this.trades.length - this.options.tradeHistory);
    }
    return full;
  }

  /** A size for a new order: whole contracts, or cents of contracts on fractional markets. */
  orderSize(market: SimMarket): number {
    if (market.fractional) return this.prng.int(100, 40_000);
    return countFromInteger(this.prng.int(1, 400))!;
  }
}

function seriesOf(template: SeriesTemplate): SimSeries {
  const { ticker, title, category, frequency, tags, feeType } = template;
  return { ticker, title, category, frequency, tags, feeType };
}

/** Five to ten levels a side around the market's fair price, never crossing. */
function seedBook(market: SimMarket, prng: Prng): void {
  const grid = priceGrid(market.structure);
  const levels = prng.int(5, 10);
  for (let k = 1; k <= levels; k++) {
    const yes = grid[market.fairIndex - k * prng.int(1, 2)];
    const ask = grid[market.fairIndex + k * prng.int(1, 2)];
    const size = () => (market.fractional ? prng.int(100, 50_000) : prng.int(1, 500) * 100);
    if (yes !== undefined) market.book.apply("yes", yes, size());
    if (ask !== undefined) market.book.apply("no", 10_000 - ask, size());
  }
}
