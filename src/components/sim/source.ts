/**
 * What a Kalshi WebSocket server needs from whatever feeds it: the simulator's world, or an
 * archive being replayed (`ssmd data replay --to kalshi-ws`). The server owns sessions, sids,
 * seqs and commands; the source owns market data. Bodies are the frames' `msg` JSON text, so a
 * replay can hand archived bodies through unchanged.
 */
export type DataChannel = "orderbook_delta" | "ticker" | "trade" | "market_lifecycle_v2";

export interface SourceEvent {
  channel: DataChannel;
  /** Wire `type` of the frame (orderbook_delta, ticker, trade, market_lifecycle_v2, event_lifecycle...). */
  type: string;
  /** Market ticker the frame is about (event ticker for event_lifecycle). */
  ticker: string;
  /** The `msg` JSON text; `useYesPrice` asks for NO-side prices on the YES scale (orderbook). */
  body(useYesPrice: boolean): string;
}

export interface MarketDataSource {
  hasMarket(ticker: string): boolean;
  /** Ticker for a market_id (UUID), for `market_ids` on the ticker channel. */
  tickerOfMarketId(marketId: string): string | undefined;
  /** Markets an all-markets ticker subscription covers for send_initial_snapshot. */
  marketTickers(): string[];
  /** `msg` of an orderbook_snapshot for the market now, or undefined for an unknown market. */
  snapshotBody(ticker: string, useYesPrice: boolean): string | undefined;
  /** `msg` of a ticker message for the market now (send_initial_snapshot). */
  tickerBody(ticker: string): string | undefined;
  /** Registers the server's listener; returns the unsubscribe function. */
  onEvent(listener: (event: SourceEvent) => void): () => void;
}
