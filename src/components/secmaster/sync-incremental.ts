/**
 * What an incremental sync asks Kalshi for: markets that can have changed since the last
 * completed sync (closing soon or just closed, recently created, recently settled), and the
 * events and series those markets name that the secmaster does not know yet.
 */
import type { KalshiRestClient } from "../../adapters/kalshi/rest-client.js";
import type { MarketsQuery } from "../../adapters/kalshi/rest-types.js";
import {
  type KalshiEvent,
  type KalshiSeries,
  parseRestEvent,
  parseRestSeries,
} from "../../core/kalshi/rest-market.js";
import type { SecmasterStore } from "./secmaster-store.js";

/** Clock skew and in-flight changes around the previous sync's start. */
const SLACK_MS = 5 * 60_000;
const seconds = (ms: number) => Math.floor(ms / 1000);

export function incrementalQueries(sinceMs: number, nowMs: number, closingHorizonMs: number): MarketsQuery[] {
  const from = seconds(sinceMs - SLACK_MS);
  return [
    { min_close_ts: from, max_close_ts: seconds(nowMs + closingHorizonMs) },
    { min_created_ts: from },
    { min_settled_ts: from },
  ];
}

/** GET /events/{t} and /series/{t} for the parents not stored yet. */
export async function fetchMissingParents(
  client: KalshiRestClient,
  store: SecmasterStore,
  eventTickers: string[],
): Promise<{ events: KalshiEvent[]; series: KalshiSeries[] }> {
  const known = await store.knownKeys("event", eventTickers);
  const events: KalshiEvent[] = [];
  for (const ticker of new Set(eventTickers)) {
    if (!known.has(ticker)) events.push(parseRestEvent((await client.event(ticker)).event));
  }
  const seriesTickers = events.map((event) => event.seriesTicker).filter((s): s is string => !!s);
  const knownSeries = await store.knownKeys("series", seriesTickers);
  const series: KalshiSeries[] = [];
  for (const ticker of new Set(seriesTickers)) {
    if (!knownSeries.has(ticker)) series.push(parseRestSeries(await client.seriesOne(ticker)));
  }
  return { events, series };
}
