/**
 * Minimal shapes of Kalshi REST market-data responses (PROTOCOL.md §5), checked at the edge.
 * Only the fields the client relies on are required; every other field is kept as sent
 * (loose objects), so callers get Kalshi's raw JSON. Normalization to Price/Count lives in core.
 */
import { z } from "zod";

const cursor = z.string().nullish();

export const restMarketSchema = z.looseObject({
  ticker: z.string(),
  event_ticker: z.string().optional(),
  status: z.string().optional(),
});
export const restEventSchema = z.looseObject({
  event_ticker: z.string(),
  series_ticker: z.string().optional(),
});
export const restSeriesSchema = z.looseObject({ ticker: z.string() });
export const restTradeSchema = z.looseObject({
  trade_id: z.string(),
  ticker: z.string().optional(),
  market_ticker: z.string().optional(),
});
const level = z.tuple([z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]);
const bookSide = z.array(level).nullish();

export const marketsPageSchema = z.looseObject({ markets: z.array(restMarketSchema).nullish(), cursor });
export const eventsPageSchema = z.looseObject({ events: z.array(restEventSchema).nullish(), cursor });
export const tradesPageSchema = z.looseObject({ trades: z.array(restTradeSchema).nullish(), cursor });
export const seriesListSchema = z.looseObject({ series: z.array(restSeriesSchema).nullish(), cursor });

export const marketResponseSchema = z.looseObject({ market: restMarketSchema });
export const eventResponseSchema = z.looseObject({
  event: restEventSchema,
  markets: z.array(restMarketSchema).nullish(),
});
export const seriesResponseSchema = z.looseObject({ series: restSeriesSchema });
export const orderbookResponseSchema = z.looseObject({
  orderbook_fp: z.looseObject({ yes_dollars: bookSide, no_dollars: bookSide }).optional(),
  orderbook: z
    .looseObject({ yes: bookSide, no: bookSide, yes_dollars: bookSide, no_dollars: bookSide })
    .optional(),
});
export const exchangeStatusSchema = z.looseObject({
  exchange_active: z.boolean(),
  trading_active: z.boolean(),
  exchange_estimated_resume_time: z.string().nullish(),
});
export const exchangeScheduleSchema = z.looseObject({
  schedule: z.looseObject({
    standard_hours: z.array(z.looseObject({})).optional(),
    maintenance_windows: z.array(z.looseObject({})).optional(),
  }),
});
/** Kalshi error body; older edges answer `{"error": "..."}` (e.g. 429). */
export const restErrorBodySchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  error: z.string().optional(),
  details: z.string().optional(),
});

export type RestMarket = z.infer<typeof restMarketSchema>;
export type RestEvent = z.infer<typeof restEventSchema>;
export type RestSeries = z.infer<typeof restSeriesSchema>;
export type RestTrade = z.infer<typeof restTradeSchema>;
export type RestEventResponse = z.infer<typeof eventResponseSchema>;
export type RestOrderbookResponse = z.infer<typeof orderbookResponseSchema>;
export type RestExchangeStatus = z.infer<typeof exchangeStatusSchema>;
export type RestExchangeSchedule = z.infer<typeof exchangeScheduleSchema>;

type QueryValue = string | number | boolean | string[] | undefined;

/** GET /markets filters (Kalshi's own parameter names). `status` is the filter vocabulary. */
export interface MarketsQuery {
  limit?: number;
  event_ticker?: string | string[];
  series_ticker?: string;
  status?: "unopened" | "open" | "paused" | "closed" | "settled";
  tickers?: string | string[];
  min_created_ts?: number;
  max_created_ts?: number;
  min_close_ts?: number;
  max_close_ts?: number;
  min_settled_ts?: number;
  max_settled_ts?: number;
  min_updated_ts?: number;
  mve_filter?: "only" | "exclude";
  [extra: string]: QueryValue;
}

export interface TradesQuery {
  limit?: number;
  ticker?: string;
  min_ts?: number;
  max_ts?: number;
  is_block_trade?: boolean;
  [extra: string]: QueryValue;
}

export interface EventsQuery {
  limit?: number;
  status?: "unopened" | "open" | "closed" | "settled";
  series_ticker?: string;
  with_nested_markets?: boolean;
  min_close_ts?: number;
  [extra: string]: QueryValue;
}

export interface SeriesQuery {
  category?: string;
  tags?: string | string[];
  include_product_metadata?: boolean;
  include_volume?: boolean;
  [extra: string]: QueryValue;
}

export type RestQuery = Record<string, QueryValue>;

/** Comma-joins arrays (Kalshi's convention for tickers/event_ticker/tags); drops undefined. */
export function toSearchParams(query: RestQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return params;
}
