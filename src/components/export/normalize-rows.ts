/**
 * Archived record → rows of the normalized tables (export-columns.ts), one cell per column in
 * column order. Prices and sizes leave as exact decimal strings ("0.4500", "136.00"), never
 * floats. Frames that do not parse are counted by the caller, never guessed at.
 */
import { formatCount, formatPrice } from "../../core/decimal.js";
import { parseFrame } from "../../core/kalshi/parse-frame.js";
import type { KalshiMessage, Level } from "../../core/kalshi/types.js";
import type { StreamRecord } from "../../core/record.js";
import type { ExportType } from "./export-columns.js";

export type Cell = string | number | undefined;
export type Row = Cell[];

export interface NormalizedRows {
  type: ExportType;
  rows: Row[];
}

const price = (value: number | undefined): Cell => (value === undefined ? undefined : formatPrice(value));
const count = (value: number | undefined): Cell => (value === undefined ? undefined : formatCount(value));

const NO_TICKER_SIZES: readonly Cell[] = [undefined, undefined, undefined, undefined];

/** Rows for one record; `undefined` when the record is not market data (status, replies). */
export function normalizeRecord(record: StreamRecord): NormalizedRows | { error: string } | undefined {
  if (record.subject.includes(".status.")) return undefined;
  const parsed = parseFrame(record.msg);
  if (!parsed.ok) return { error: parsed.error.message };
  return rowsOf(record, parsed.message);
}

function rowsOf(record: StreamRecord, m: KalshiMessage): NormalizedRows | undefined {
  const head = (ts: number | undefined, ticker: string): Row => [record.rt, record.seq, ts, ticker];
  switch (m.kind) {
    case "trade":
      return {
        type: "trade",
        rows: [
          [
            ...head(m.tsMs, m.ticker),
            m.tradeId,
            price(m.yesPrice),
            price(m.noPrice),
            count(m.count),
            m.takerSide,
            m.sid,
            m.seq,
          ],
        ],
      };
    case "ticker":
    case "ticker_v2":
      return {
        type: "ticker",
        rows: [
          [
            ...head(m.tsMs, m.ticker),
            price(m.price),
            price(m.yesBid),
            price(m.yesAsk),
            // ticker_v2 has no sizes and carries volume/open-interest deltas, not totals: left empty.
            ...(m.kind === "ticker"
              ? [count(m.yesBidSize), count(m.yesAskSize), count(m.volume), count(m.openInterest)]
              : NO_TICKER_SIZES),
            m.sid,
          ],
        ],
      };
    case "orderbook_snapshot": {
      const level =
        (side: string) =>
        ([p, s]: Level): Row => [
          ...head(undefined, m.ticker),
          "snapshot",
          side,
          price(p),
          count(s),
          m.sid,
          m.seq,
        ];
      return { type: "orderbook", rows: [...m.yes.map(level("yes")), ...m.no.map(level("no"))] };
    }
    case "orderbook_delta":
      return {
        type: "orderbook",
        rows: [[...head(m.tsMs, m.ticker), "delta", m.side, price(m.price), count(m.delta), m.sid, m.seq]],
      };
    case "market_lifecycle_v2":
    case "multivariate_market_lifecycle":
      return {
        type: "lifecycle",
        rows: [
          [
            ...head(m.settledTs ?? m.determinationTs, m.ticker),
            m.kind,
            m.eventType,
            m.openTs,
            m.closeTs,
            m.result,
            price(m.settlementValue),
            m.sid,
            m.seq,
          ],
        ],
      };
    case "event_lifecycle":
      return {
        type: "lifecycle",
        rows: [
          [
            ...head(undefined, m.eventTicker),
            m.kind,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            m.sid,
            m.seq,
          ],
        ],
      };
    default:
      return undefined;
  }
}

/** One CSV line (RFC 4180 quoting; empty cell = NULL). */
export function csvLine(row: Row): string {
  let line = "";
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ",";
    const cell = row[i];
    if (cell === undefined) continue;
    const text = String(cell);
    line += /[",\n\r]/.test(text) || text === "" ? `"${text.replaceAll('"', '""')}"` : text;
  }
  return `${line}\n`;
}
