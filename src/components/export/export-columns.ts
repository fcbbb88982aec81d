/**
 * The normalized, typed tables that `ssmd data export` writes and `ssmd data query` exposes as
 * views (trades, tickers, orderbook, lifecycle). Prices are DECIMAL(18,4) dollars and sizes
 * DECIMAL(18,2) contracts, exact (core/decimal.ts); times are TIMESTAMP (UTC, µs).
 * `rt` is ssmd's receive time, `ts` the exchange's own time; `stream_seq` the JetStream sequence.
 */
export type ExportType = "trade" | "ticker" | "orderbook" | "lifecycle";
export const EXPORT_TYPES: readonly ExportType[] = ["trade", "ticker", "orderbook", "lifecycle"];

/** SQL view name for each type in `ssmd data query`. */
export const VIEW_OF_TYPE: Record<ExportType, string> = {
  trade: "trades",
  ticker: "tickers",
  orderbook: "orderbook",
  lifecycle: "lifecycle",
};

export interface ColumnSpec {
  name: string;
  /** Type in the exported file. */
  type: string;
  /** Type of the staged text column when it differs (times are staged as integers). */
  staged?: string;
  /** SQL turning the staged column into the exported one. */
  select?: string;
  description: string;
}

const RT: ColumnSpec = {
  name: "rt",
  type: "TIMESTAMP",
  staged: "BIGINT",
  select: "make_timestamp(rt)",
  description: "ssmd receive time (UTC, µs)",
};
const STREAM_SEQ: ColumnSpec = {
  name: "stream_seq",
  type: "BIGINT",
  description: "JetStream stream sequence",
};
const TS: ColumnSpec = {
  name: "ts",
  type: "TIMESTAMP",
  staged: "BIGINT",
  select: "epoch_ms(ts)",
  description: "exchange timestamp (UTC)",
};
const TICKER: ColumnSpec = { name: "ticker", type: "VARCHAR", description: "Kalshi market ticker" };
const SID: ColumnSpec = { name: "sid", type: "INTEGER", description: "Kalshi subscription id" };
const SEQ: ColumnSpec = {
  name: "seq",
  type: "BIGINT",
  description: "per-subscription sequence (sequenced channels)",
};
const price = (name: string, description: string): ColumnSpec => ({
  name,
  type: "DECIMAL(18,4)",
  description,
});
const size = (name: string, description: string): ColumnSpec => ({
  name,
  type: "DECIMAL(18,2)",
  description,
});
const text = (name: string, description: string): ColumnSpec => ({ name, type: "VARCHAR", description });
const time = (name: string, description: string): ColumnSpec => ({
  name,
  type: "TIMESTAMP",
  staged: "BIGINT",
  select: `epoch_ms(${name})`,
  description,
});

export const COLUMNS: Record<ExportType, ColumnSpec[]> = {
  trade: [
    RT,
    STREAM_SEQ,
    TS,
    TICKER,
    text("trade_id", "Kalshi trade id"),
    price("yes_price", "YES price, dollars"),
    price("no_price", "NO price, dollars"),
    size("size", "contracts traded"),
    text("side", "outcome side the taker bought: yes | no"),
    SID,
    SEQ,
  ],
  ticker: [
    RT,
    STREAM_SEQ,
    TS,
    TICKER,
    price("price", "last trade price, dollars"),
    price("yes_bid", "best YES bid, dollars"),
    price("yes_ask", "best YES ask, dollars"),
    size("yes_bid_size", "contracts at the best YES bid"),
    size("yes_ask_size", "contracts at the best YES ask"),
    size("volume", "contracts traded (cumulative)"),
    size("open_interest", "open interest, contracts"),
    SID,
  ],
  orderbook: [
    RT,
    STREAM_SEQ,
    TS,
    TICKER,
    text("kind", "snapshot (one row per level) | delta"),
    text("side", "book leg: yes | no (both are bids)"),
    price("price", "level price, dollars"),
    size("size", "level size (snapshot) or signed change (delta), contracts"),
    SID,
    SEQ,
  ],
  lifecycle: [
    RT,
    STREAM_SEQ,
    TS,
    TICKER,
    text("message_type", "market_lifecycle_v2 | event_lifecycle | ..."),
    text("event_type", "created | activated | determined | settled | ..."),
    time("open_ts", "market open time"),
    time("close_ts", "market close time"),
    text("result", "yes | no | ... once determined"),
    price("settlement_value", "settlement value, dollars"),
    SID,
    SEQ,
  ],
};

/** `read_csv` column map for the staged file. */
export function stagedColumns(type: ExportType): Record<string, string> {
  return Object.fromEntries(COLUMNS[type].map((column) => [column.name, column.staged ?? column.type]));
}

/** SELECT list turning staged columns into exported ones. */
export function selectList(type: ExportType): string {
  return COLUMNS[type]
    .map((column) => (column.select ? `${column.select} AS ${column.name}` : column.name))
    .join(", ");
}
