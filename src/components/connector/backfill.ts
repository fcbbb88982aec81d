/**
 * After an outage, the trades Kalshi executed while the connection was down are fetched from REST
 * `/markets/trades` (min_ts/max_ts = the outage window, ±1 s) and published as trade frames, so
 * the stream has no hole in the trade tape. Deduplicated by trade_id: locally against the trades
 * seen live (RecentIds) and in JetStream (Nats-Msg-Id = trade_id).
 * The REST trade is re-shaped into a WS trade frame (`market_ticker`, `ts`, `ts_ms`; every other
 * field as Kalshi sent it) with `"source":"rest_backfill"` at the top level and `sid` 0.
 */
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";
import { tradeMsgId } from "../../core/msg-id.js";
import { HEADER_CONN, HEADER_RECV_US } from "../../core/record.js";
import { dataSubject } from "../../core/subjects.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock, RestPort, RestTradeLike } from "./ports.js";
import type { Publisher } from "./publisher.js";
import type { RecentIds } from "./recent-ids.js";

const encoder = new TextEncoder();

export interface BackfillDeps {
  rest: RestPort;
  prefix: string;
  publisher: Publisher;
  recentTrades: RecentIds;
  metrics: ConnectorMetrics;
  clock: Clock;
  logger: Logger;
}

/** Publishes the window's trades for `tickers` (all markets when undefined); returns how many. */
export async function backfillTrades(
  deps: BackfillDeps,
  window: { startUs: number; endUs: number; conn: string },
  tickers: string[] | undefined,
): Promise<number> {
  const wanted = tickers ? new Set(tickers) : undefined;
  const query = {
    min_ts: Math.floor(window.startUs / 1e6) - 1,
    max_ts: Math.ceil(window.endUs / 1e6) + 1,
    limit: 1000,
  };
  let published = 0;
  try {
    for await (const trade of deps.rest.trades(query)) {
      const ticker = trade.market_ticker ?? trade.ticker;
      if (!ticker || (wanted && !wanted.has(ticker)) || deps.recentTrades.has(trade.trade_id)) continue;
      deps.recentTrades.add(trade.trade_id);
      const receivedUs = deps.clock.nowUs();
      deps.publisher.enqueue({
        subject: dataSubject(deps.prefix, "trade", ticker),
        data: encoder.encode(tradeFrame(trade, ticker)),
        msgId: tradeMsgId(trade.trade_id),
        headers: { [HEADER_RECV_US]: String(receivedUs), [HEADER_CONN]: window.conn },
        recvUs: receivedUs,
        ticker,
      });
      deps.metrics.counts.backfilled += 1;
      published += 1;
    }
    deps.logger.info("trade backfill done", { trades: published, from: query.min_ts, to: query.max_ts });
  } catch (error) {
    deps.metrics.error("backfill");
    deps.logger.warn("trade backfill failed", { error: errorMessage(error), trades: published });
  }
  return published;
}

/** REST trade → WS trade frame text. */
export function tradeFrame(trade: RestTradeLike, ticker: string): string {
  const { ticker: _legacy, market_ticker: _market, ...fields } = trade;
  const msg: Record<string, unknown> = { ...fields, market_ticker: ticker };
  const createdMs = typeof trade.created_time === "string" ? Date.parse(trade.created_time) : Number.NaN;
  if (Number.isFinite(createdMs)) {
    if (msg.ts === undefined) msg.ts = Math.floor(createdMs / 1000);
    if (msg.ts_ms === undefined) msg.ts_ms = createdMs;
  }
  return JSON.stringify({ type: "trade", sid: 0, source: "rest_backfill", msg });
}
