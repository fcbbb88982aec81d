/**
 * Which books a gap or disconnect record covers: the tickers it names; when it names none, the
 * books last fed by its connection (`conn`); without a connection, every book.
 */
import type { GapRecord } from "../../core/gap-records.js";
import type { Market } from "./market.js";

export function marketsAffectedBy(record: GapRecord, markets: ReadonlyMap<string, Market>): Market[] {
  const tickers = Array.isArray(record.tickers) ? record.tickers : [];
  if (tickers.length > 0) {
    return tickers.flatMap((ticker) => {
      const market = markets.get(ticker);
      return market ? [market] : [];
    });
  }
  const all = [...markets.values()];
  return typeof record.conn === "string" ? all.filter((market) => market.conn === record.conn) : all;
}
