/**
 * What each archived message type looks like, for `/schema/{feed}/{type}` and `ssmd data schema`:
 * its subject, the exchange frame's fields (both wire generations, see docs/kalshi.md) and
 * the normalized columns `ssmd data export` writes for it.
 */
import { NotFoundError } from "../../core/errors.js";
import { suggest } from "../../core/suggest.js";
import { COLUMNS, type ColumnSpec, type ExportType } from "../export/export-columns.js";

export interface FieldDoc {
  name: string;
  type: string;
  description: string;
}

export interface MessageSchema {
  type: string;
  channel: string;
  subject: string;
  description: string;
  fields: FieldDoc[];
  export_type: ExportType | null;
  columns: ColumnSpec[];
}

const f = (name: string, type: string, description: string): FieldDoc => ({ name, type, description });
const ENVELOPE = [f("type", "string", "message type"), f("sid", "integer", "subscription id")];
const SEQ = f("seq", "integer", "per-subscription sequence");
const TICKER = f("msg.market_ticker", "string", "market ticker");

interface Entry {
  channel: string;
  description: string;
  fields: FieldDoc[];
  exportType: ExportType | null;
}

const ENTRIES: Record<string, Entry> = {
  trade: {
    channel: "trade",
    description: "an executed trade",
    exportType: "trade",
    fields: [
      ...ENVELOPE,
      SEQ,
      f("msg.trade_id", "string", "trade id"),
      TICKER,
      f("msg.yes_price_dollars", "decimal string", "YES price (legacy: msg.yes_price, cents)"),
      f("msg.no_price_dollars", "decimal string", "NO price (legacy: msg.no_price, cents)"),
      f("msg.count_fp", "decimal string", "contracts (legacy: msg.count, integer)"),
      f("msg.taker_outcome_side", "yes|no", "side the taker bought (legacy: msg.taker_side)"),
      f("msg.ts", "integer", "trade time, Unix seconds (or msg.ts_ms)"),
    ],
  },
  ticker: {
    channel: "ticker",
    description: "market summary: last price, best bid/ask, volume, open interest",
    exportType: "ticker",
    fields: [
      ...ENVELOPE,
      TICKER,
      f("msg.price_dollars", "decimal string", "last price ('' if never traded)"),
      f("msg.yes_bid_dollars", "decimal string", "best YES bid"),
      f("msg.yes_ask_dollars", "decimal string", "best YES ask"),
      f("msg.volume_fp", "decimal string", "volume, contracts"),
      f("msg.open_interest_fp", "decimal string", "open interest"),
      f("msg.ts", "integer", "Unix seconds (msg.ts_ms when present)"),
    ],
  },
  orderbook_snapshot: {
    channel: "orderbook",
    description: "full book of one market: YES bids and NO bids",
    exportType: "orderbook",
    fields: [
      ...ENVELOPE,
      SEQ,
      TICKER,
      f("msg.yes_dollars_fp", "[price, size][]", "YES bids (legacy: msg.yes, cents)"),
      f("msg.no_dollars_fp", "[price, size][]", "NO bids (legacy: msg.no, cents)"),
    ],
  },
  orderbook_delta: {
    channel: "orderbook",
    description: "signed size change at one price level",
    exportType: "orderbook",
    fields: [
      ...ENVELOPE,
      SEQ,
      TICKER,
      f("msg.price_dollars", "decimal string", "level price (legacy msg.price)"),
      f("msg.delta_fp", "decimal string", "signed change (legacy msg.delta)"),
      f("msg.side", "yes|no", "book leg"),
      f("msg.ts", "RFC 3339 string", "exchange time"),
    ],
  },
  market_lifecycle_v2: {
    channel: "lifecycle",
    description: "market created/activated/closed/determined/settled",
    exportType: "lifecycle",
    fields: [
      ...ENVELOPE,
      TICKER,
      f("msg.event_type", "string", "lifecycle event"),
      f("msg.open_ts", "integer", "Unix seconds"),
      f("msg.close_ts", "integer", "Unix seconds"),
      f("msg.result", "string", "result once determined"),
      f("msg.settlement_value", "decimal string", "settlement value"),
    ],
  },
  event_lifecycle: {
    channel: "lifecycle",
    description: "an event (group of markets) was created or changed",
    exportType: "lifecycle",
    fields: [
      ...ENVELOPE,
      f("msg.event_ticker", "string", "event ticker (used in the subject)"),
      f("msg.series_ticker", "string", "series"),
      f("msg.title", "string", "title"),
    ],
  },
  ssmd_gap: {
    channel: "status",
    description: "data known to be missing (sequence gap, overflow, stream gap); travels in the stream",
    exportType: null,
    fields: [
      f("type", "ssmd_gap|ssmd_disconnect", "record kind"),
      f("reason", "string", "why"),
      f("sid", "integer|null", "subscription"),
      f("from_seq", "integer|null", "first missing"),
      f("to_seq", "integer|null", "last missing"),
      f("tickers", "string[]", "affected tickers (empty = all)"),
      f("started_at", "ISO time", "start"),
      f("ended_at", "ISO time|null", "end"),
    ],
  },
};

const ALIASES: Record<string, string> = {
  orderbook: "orderbook_delta",
  lifecycle: "market_lifecycle_v2",
  ssmd_disconnect: "ssmd_gap",
  gap: "ssmd_gap",
};

export function messageTypes(): string[] {
  return Object.keys(ENTRIES);
}

export function messageSchema(type: string): MessageSchema {
  const name = ENTRIES[type] ? type : ALIASES[type];
  const entry = name ? ENTRIES[name] : undefined;
  if (!name || !entry) {
    const valid = [...messageTypes(), ...Object.keys(ALIASES)];
    throw new NotFoundError("message type", type, messageTypes(), suggest(type, valid));
  }
  const subject =
    entry.channel === "status" ? "{prefix}.status.gap" : `{prefix}.json.${entry.channel}.{ticker}`;
  return {
    type: name,
    channel: entry.channel,
    subject,
    description: entry.description,
    fields: entry.fields,
    export_type: entry.exportType,
    columns: entry.exportType ? COLUMNS[entry.exportType] : [],
  };
}
