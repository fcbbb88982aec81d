/**
 * Security master tables: series, events, markets (current state, exact NUMERIC prices and
 * sizes, TIMESTAMPTZ times), field-level change history, lifecycle events and sync runs.
 */
import type { Migration } from "../migrate.js";

const stamps = `
  first_seen_at TIMESTAMPTZ(3) NOT NULL,
  updated_at TIMESTAMPTZ(3) NOT NULL`;

export const secmasterTables: Migration = {
  version: 1,
  name: "secmaster",
  sql: `
CREATE TABLE series (
  ticker TEXT PRIMARY KEY,
  title TEXT,
  category TEXT,
  frequency TEXT,
  tags TEXT,
  fee_type TEXT,
  fee_multiplier NUMERIC,
  contract_url TEXT,
  volume NUMERIC(20, 2),
  last_updated_time TIMESTAMPTZ(3),${stamps}
);
CREATE INDEX series_category ON series (category);

CREATE TABLE events (
  event_ticker TEXT PRIMARY KEY,
  series_ticker TEXT,
  title TEXT,
  subtitle TEXT,
  category TEXT,
  collateral_return_type TEXT,
  mutually_exclusive BOOLEAN,
  strike_date TIMESTAMPTZ(3),
  strike_period TEXT,
  last_updated_time TIMESTAMPTZ(3),${stamps}
);
CREATE INDEX events_series ON events (series_ticker);

CREATE TABLE markets (
  ticker TEXT PRIMARY KEY,
  event_ticker TEXT,
  series_ticker TEXT,
  category TEXT,
  market_type TEXT,
  status TEXT,
  title TEXT,
  subtitle TEXT,
  yes_sub_title TEXT,
  no_sub_title TEXT,
  created_time TIMESTAMPTZ(3),
  updated_time TIMESTAMPTZ(3),
  open_time TIMESTAMPTZ(3),
  close_time TIMESTAMPTZ(3),
  expected_expiration_time TIMESTAMPTZ(3),
  expiration_time TIMESTAMPTZ(3),
  latest_expiration_time TIMESTAMPTZ(3),
  yes_bid NUMERIC(12, 4),
  yes_ask NUMERIC(12, 4),
  no_bid NUMERIC(12, 4),
  no_ask NUMERIC(12, 4),
  yes_bid_size NUMERIC(20, 2),
  yes_ask_size NUMERIC(20, 2),
  last_price NUMERIC(12, 4),
  previous_price NUMERIC(12, 4),
  previous_yes_bid NUMERIC(12, 4),
  previous_yes_ask NUMERIC(12, 4),
  volume NUMERIC(20, 2),
  volume_24h NUMERIC(20, 2),
  open_interest NUMERIC(20, 2),
  liquidity NUMERIC(20, 4),
  notional_value NUMERIC(20, 4),
  result TEXT,
  can_close_early BOOLEAN,
  settlement_value NUMERIC(12, 4),
  settlement_time TIMESTAMPTZ(3),
  settlement_timer_seconds INTEGER,
  strike_type TEXT,
  floor_strike NUMERIC,
  cap_strike NUMERIC,
  price_level_structure TEXT,
  price_ranges TEXT,
  tick_size NUMERIC(12, 4),
  rules_primary TEXT,
  rules_secondary TEXT,${stamps}
);
CREATE INDEX markets_status ON markets (status);
CREATE INDEX markets_event ON markets (event_ticker);
CREATE INDEX markets_series ON markets (series_ticker);
CREATE INDEX markets_category ON markets (category);
CREATE INDEX markets_close_time ON markets (close_time);

CREATE TABLE changes (
  id BIGSERIAL PRIMARY KEY,
  entity TEXT NOT NULL,
  key TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  changed_at TIMESTAMPTZ(3) NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX changes_entity_key ON changes (entity, key, changed_at);
CREATE INDEX changes_changed_at ON changes (changed_at);

CREATE TABLE lifecycle_events (
  id BIGSERIAL PRIMARY KEY,
  ticker TEXT NOT NULL,
  event_type TEXT NOT NULL,
  occurred_at TIMESTAMPTZ(3) NOT NULL,
  payload TEXT NOT NULL,
  source TEXT NOT NULL
);
CREATE INDEX lifecycle_events_ticker ON lifecycle_events (ticker, occurred_at);

CREATE TABLE sync_runs (
  id BIGSERIAL PRIMARY KEY,
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  started_at TIMESTAMPTZ(3) NOT NULL,
  finished_at TIMESTAMPTZ(3),
  status TEXT NOT NULL,
  summary TEXT
);
`,
};
