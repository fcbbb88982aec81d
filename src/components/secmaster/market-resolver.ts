/**
 * The connector's market resolution answered from the secmaster instead of Kalshi REST: open
 * markets of a series (`markets({status:"open", series_ticker})`) and the series of a category
 * (`series({category})`) come from the database; every other call (trade backfill, unfiltered
 * listings) still goes to REST. Plug it in as the connector's `rest` port.
 */
import type { RestMarketLike, RestPort } from "../connector/ports.js";
import type { SecmasterStore } from "./secmaster-store.js";

type Query = Record<string, string | number | undefined>;

async function* openMarkets(
  store: SecmasterStore,
  series: string | undefined,
): AsyncGenerator<RestMarketLike> {
  let cursor: string | undefined;
  do {
    const page = await store.listMarkets({ status: ["active"], series, limit: 1000, cursor });
    for (const view of page.items) {
      yield {
        ticker: String(view.ticker),
        event_ticker: view.event_ticker ?? undefined,
        status: view.status,
      };
    }
    cursor = page.cursor;
  } while (cursor !== undefined);
}

export function secmasterRestPort(store: SecmasterStore, rest: RestPort): RestPort {
  return {
    markets(query: Query) {
      const { status, series_ticker: series, limit: _limit, ...others } = query;
      const onlySeries = Object.values(others).every((value) => value === undefined);
      if (status === "open" && onlySeries)
        return openMarkets(store, typeof series === "string" ? series : undefined);
      return rest.markets(query);
    },
    trades: (query: Query) => rest.trades(query),
    async series(query: { category?: string }) {
      const found: { ticker: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listSeries({ category: query.category, cursor });
        for (const view of page.items) found.push({ ticker: String(view.ticker) });
        cursor = page.cursor;
      } while (cursor !== undefined);
      return found;
    },
  };
}
