/**
 * Cap'n Proto definitions of ssmd's normalized messages, written by `ssmd init` as real
 * `.capnp` files. Money is fixed-point: prices in 1e-4 dollars, sizes in 1e-2 contracts.
 */
export const CAPNP_SOURCES: Record<string, string> = {
  "trade.v1.capnp": `@0xde5ce0419ba1c2e3;
# A public trade on one Kalshi market (channel "trade").

struct Trade {
  ticker @0 :Text;              # market ticker, e.g. KXBTCD-26FEB1217-T67749.99
  tradeId @1 :Text;             # exchange trade id (dedup key)
  yesPrice @2 :Int64;           # 1e-4 dollars
  noPrice @3 :Int64;            # 1e-4 dollars
  count @4 :Int64;              # 1e-2 contracts
  takerSide @5 :Side;
  exchangeTsMs @6 :Int64;       # exchange time, Unix ms
  receivedUs @7 :Int64;         # ssmd receive time, Unix microseconds

  enum Side {
    yes @0;
    no @1;
  }
}
`,
  "ticker.v1.capnp": `@0xdfe6bfb48670585c;
# Top-of-book and last-price summary of one market (channel "ticker").

struct Ticker {
  ticker @0 :Text;
  lastPrice @1 :Int64;          # 1e-4 dollars
  yesBid @2 :Int64;             # 1e-4 dollars
  yesAsk @3 :Int64;             # 1e-4 dollars
  volume @4 :Int64;             # 1e-2 contracts
  openInterest @5 :Int64;       # 1e-2 contracts
  dollarVolume @6 :Int64;       # 1e-4 dollars
  exchangeTsMs @7 :Int64;
  receivedUs @8 :Int64;
}
`,
  "orderbook.v1.capnp": `@0xa828229612d86ca2;
# Order book snapshot or delta of one market (channel "orderbook_delta").

struct Level {
  price @0 :Int64;              # 1e-4 dollars
  size @1 :Int64;               # 1e-2 contracts
}

struct OrderbookSnapshot {
  ticker @0 :Text;
  sid @1 :UInt32;               # subscription id
  seq @2 :UInt64;               # per-subscription sequence
  yes @3 :List(Level);          # yes bids, best last
  no @4 :List(Level);           # no bids, best last
  receivedUs @5 :Int64;
}

struct OrderbookDelta {
  ticker @0 :Text;
  sid @1 :UInt32;
  seq @2 :UInt64;
  price @3 :Int64;              # 1e-4 dollars
  delta @4 :Int64;              # signed change, 1e-2 contracts
  side @5 :Side;
  receivedUs @6 :Int64;

  enum Side {
    yes @0;
    no @1;
  }
}
`,
  "market_status.v1.capnp": `@0xb9d4c59e2240fc04;
# Market lifecycle change (channel "market_lifecycle_v2").

struct MarketStatus {
  ticker @0 :Text;
  eventTicker @1 :Text;
  eventType @2 :EventType;
  openTs @3 :Int64;             # Unix seconds, 0 when absent
  closeTs @4 :Int64;            # Unix seconds, 0 when absent
  result @5 :Text;              # "yes" | "no" | "" when not settled
  receivedUs @6 :Int64;

  enum EventType {
    created @0;
    activated @1;
    deactivated @2;
    closeDateUpdated @3;
    determined @4;
    settled @5;
  }
}
`,
};

export const SCHEMA_DESCRIPTIONS: Record<string, string> = {
  trade: "Public trades (channel trade)",
  ticker: "Ticker updates: last price, top of book, volume (channel ticker)",
  orderbook: "Order book snapshots and deltas (channel orderbook_delta)",
  market_status: "Market lifecycle events (channel market_lifecycle_v2)",
};
