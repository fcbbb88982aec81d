/**
 * Secmaster routes for the data API (mounted through its `extraRoutes`):
 *   /v1/markets?status&category&series&event&search&closing_before&limit&cursor
 *   /v1/markets/{ticker}[?as_of=ISO]   /v1/markets/{ticker}/history
 *   /v1/events?series&category&limit&cursor   /v1/events/{ticker}   /v1/series?category
 * Prices and sizes are exact decimal strings ("0.4500", "136.00").
 */
import { ValidationError } from "../../core/errors.js";
import type { Route } from "../data-api/http-router.js";
import type { SecmasterStore } from "./secmaster-store.js";

function optional(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === "" ? undefined : value;
}

function limitOf(query: URLSearchParams): number | undefined {
  const text = optional(query, "limit");
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ValidationError(`invalid limit '${text}'`, ["limit must be an integer"]);
  return Number(text);
}

export function parseTime(text: string, name: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    throw new ValidationError(`invalid ${name} '${text}'`, [
      "expected ISO-8601 (2026-11-21T15:00:00Z) or Unix ms",
    ]);
  return ms;
}

export function secmasterRoutes(store: SecmasterStore): Route[] {
  return [
    {
      pattern: "/v1/markets",
      auth: true,
      handle: async ({ query }) => {
        const status = optional(query, "status");
        const closing = optional(query, "closing_before");
        const page = await store.listMarkets({
          status: status?.split(",").filter(Boolean),
          category: optional(query, "category"),
          series: optional(query, "series"),
          event: optional(query, "event"),
          search: optional(query, "search"),
          closingBefore: closing === undefined ? undefined : parseTime(closing, "closing_before"),
          limit: limitOf(query),
          cursor: optional(query, "cursor"),
        });
        return { markets: page.items, cursor: page.cursor ?? null };
      },
    },
    {
      pattern: "/v1/markets/{ticker}",
      auth: true,
      handle: ({ params, query }) => {
        const asOf = optional(query, "as_of");
        const ticker = params.ticker!;
        return asOf === undefined ? store.market(ticker) : store.marketAsOf(ticker, parseTime(asOf, "as_of"));
      },
    },
    {
      pattern: "/v1/markets/{ticker}/history",
      auth: true,
      handle: async ({ params }) => {
        await store.market(params.ticker!);
        return {
          ticker: params.ticker,
          changes: await store.history("market", params.ticker!),
          lifecycle: await store.lifecycleOf(params.ticker!),
        };
      },
    },
    {
      pattern: "/v1/events",
      auth: true,
      handle: async ({ query }) => {
        const page = await store.listEvents({
          series: optional(query, "series"),
          category: optional(query, "category"),
          limit: limitOf(query),
          cursor: optional(query, "cursor"),
        });
        return { events: page.items, cursor: page.cursor ?? null };
      },
    },
    {
      pattern: "/v1/events/{ticker}",
      auth: true,
      handle: async ({ params }) => {
        const event = await store.event(params.ticker!);
        const markets = await store.listMarkets({ event: params.ticker!, limit: 1000 });
        return { ...event, markets: markets.items };
      },
    },
    {
      pattern: "/v1/series",
      auth: true,
      handle: async ({ query }) => {
        const page = await store.listSeries({
          category: optional(query, "category"),
          limit: limitOf(query),
          cursor: optional(query, "cursor"),
        });
        return { series: page.items, cursor: page.cursor ?? null };
      },
    },
  ];
}
