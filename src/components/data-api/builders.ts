/**
 * Builders: the derived datasets ssmd can build from an archive, with the command that builds
 * each. `/builders` and `ssmd data builders` list them so a user (or the AI agent) knows what to ask for.
 */
import { COLUMNS, EXPORT_TYPES, VIEW_OF_TYPE } from "../export/export-columns.js";

export interface BuilderInfo {
  name: string;
  description: string;
  output: string;
  command: string;
  columns: string[];
}

const DESCRIPTIONS = {
  trade: "every trade with exact YES/NO prices, size, taker side and trade id",
  ticker: "ticker updates: last price, best bid/ask and sizes, volume, open interest",
  orderbook: "order book levels: one row per snapshot level and per delta, YES and NO legs",
  lifecycle: "market and event lifecycle events (created, activated, determined, settled...)",
} as const;

export function builders(): BuilderInfo[] {
  const tables = EXPORT_TYPES.map((type) => ({
    name: type,
    description: DESCRIPTIONS[type],
    output: `{out}/{feed}/{date}/${type}.parquet (SQL view '${VIEW_OF_TYPE[type]}')`,
    command: `ssmd data export --date D --type ${type} --format parquet`,
    columns: COLUMNS[type].map((column) => `${column.name} ${column.type}`),
  }));
  return [
    ...tables,
    {
      name: "replay",
      description:
        "a day replayed as live: to stdout (NDJSON), to NATS under replay.{prefix}, or as a Kalshi WebSocket",
      output: "stream",
      command: "ssmd data replay --date D --speed 10 --to nats",
      columns: [],
    },
  ];
}
