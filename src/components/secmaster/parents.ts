/**
 * Series ticker and category for markets: a market carries neither, its event names the series
 * and the series carries the category. Remembers what this run saw (so a dry run, which writes
 * nothing, still resolves) and asks the database for the rest.
 */
import { type MarketParents, seriesOfEventTicker } from "./canonical.js";
import type { SecmasterStore } from "./secmaster-store.js";

export class ParentResolver {
  private readonly seriesOfEvent = new Map<string, string>();
  private readonly categoryOfSeries = new Map<string, string | null>();

  constructor(private readonly store: SecmasterStore) {}

  rememberSeries(ticker: string, category: string | null): void {
    this.categoryOfSeries.set(ticker, category);
  }

  rememberEvent(eventTicker: string, seriesTicker: string): void {
    this.seriesOfEvent.set(eventTicker, seriesTicker);
  }

  categoryOf(seriesTicker: string): string | null | undefined {
    return this.categoryOfSeries.get(seriesTicker);
  }

  /** Loads what is missing for these event tickers from the database. */
  async prepare(eventTickers: string[]): Promise<void> {
    const missing = eventTickers.filter((ticker) => !this.seriesOfEvent.has(ticker));
    if (missing.length > 0) {
      for (const [event, info] of await this.store.parentsOf(missing)) {
        this.seriesOfEvent.set(event, info.seriesTicker ?? seriesOfEventTicker(event));
        if (info.seriesTicker && !this.categoryOfSeries.has(info.seriesTicker))
          this.categoryOfSeries.set(info.seriesTicker, info.category);
      }
    }
    const series = eventTickers
      .map((event) => this.seriesOf(event))
      .filter((s) => !this.categoryOfSeries.has(s));
    if (series.length === 0) return;
    const categories = await this.store.categoryOfSeries(series);
    for (const ticker of series) this.categoryOfSeries.set(ticker, categories.get(ticker) ?? null);
  }

  seriesOf(eventTicker: string): string {
    return this.seriesOfEvent.get(eventTicker) ?? seriesOfEventTicker(eventTicker);
  }

  parentsOf(eventTicker: string): MarketParents {
    const seriesTicker = this.seriesOf(eventTicker);
    return { seriesTicker, category: this.categoryOfSeries.get(seriesTicker) ?? null };
  }
}
