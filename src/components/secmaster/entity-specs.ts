/**
 * The three entities the secmaster keeps, as column catalogues. Every value travels as its
 * canonical text (prices "0.4500", counts "136.00", times ISO-8601 with ms in UTC, booleans
 * "true"/"false", JSON as compact text), so comparing old and new is a string comparison and
 * nothing passes through a float. The SQL casts below turn that text into typed columns and back.
 */
export type FieldKind = "text" | "price" | "count" | "number" | "int" | "time" | "bool" | "json";
export type EntityName = "series" | "event" | "market";

export interface FieldSpec {
  column: string;
  kind: FieldKind;
}

export interface EntitySpec {
  entity: EntityName;
  table: string;
  key: string;
  fields: readonly FieldSpec[];
}

/** column → canonical text (null = absent). */
export type FieldValues = Record<string, string | null>;

export interface EntityRecord {
  key: string;
  values: FieldValues;
}

const f = (column: string, kind: FieldKind = "text"): FieldSpec => ({ column, kind });

export const SERIES: EntitySpec = {
  entity: "series",
  table: "series",
  key: "ticker",
  fields: [
    f("title"),
    f("category"),
    f("frequency"),
    f("tags", "json"),
    f("fee_type"),
    f("fee_multiplier", "number"),
    f("contract_url"),
    f("volume", "count"),
    f("last_updated_time", "time"),
  ],
};

export const EVENTS: EntitySpec = {
  entity: "event",
  table: "events",
  key: "event_ticker",
  fields: [
    f("series_ticker"),
    f("title"),
    f("subtitle"),
    f("category"),
    f("collateral_return_type"),
    f("mutually_exclusive", "bool"),
    f("strike_date", "time"),
    f("strike_period"),
    f("last_updated_time", "time"),
  ],
};

const times = [
  "created_time",
  "updated_time",
  "open_time",
  "close_time",
  "expected_expiration_time",
  "expiration_time",
  "latest_expiration_time",
].map((column) => f(column, "time"));

const prices = ["yes_bid", "yes_ask", "no_bid", "no_ask"].map((column) => f(column, "price"));

export const MARKETS: EntitySpec = {
  entity: "market",
  table: "markets",
  key: "ticker",
  fields: [
    f("event_ticker"),
    f("series_ticker"),
    f("category"),
    f("market_type"),
    f("status"),
    f("title"),
    f("subtitle"),
    f("yes_sub_title"),
    f("no_sub_title"),
    ...times,
    ...prices,
    f("yes_bid_size", "count"),
    f("yes_ask_size", "count"),
    f("last_price", "price"),
    f("previous_price", "price"),
    f("previous_yes_bid", "price"),
    f("previous_yes_ask", "price"),
    f("volume", "count"),
    f("volume_24h", "count"),
    f("open_interest", "count"),
    f("liquidity", "price"),
    f("notional_value", "price"),
    f("result"),
    f("can_close_early", "bool"),
    f("settlement_value", "price"),
    f("settlement_time", "time"),
    f("settlement_timer_seconds", "int"),
    f("strike_type"),
    f("floor_strike", "number"),
    f("cap_strike", "number"),
    f("price_level_structure"),
    f("price_ranges", "json"),
    f("tick_size", "price"),
    f("rules_primary"),
    f("rules_secondary"),
  ],
};

export const SPECS: Record<EntityName, EntitySpec> = { series: SERIES, event: EVENTS, market: MARKETS };

const CAST: Record<FieldKind, string> = {
  text: "text",
  json: "text",
  price: "numeric",
  count: "numeric",
  number: "numeric",
  int: "integer",
  time: "timestamptz",
  bool: "boolean",
};

/** `$n::type` for writing a field's canonical text. */
export function writeCast(kind: FieldKind, placeholder: string): string {
  return `${placeholder}::${CAST[kind]}`;
}

/** SQL expression reading a column back as its canonical text. */
export function readExpression(field: FieldSpec, alias = ""): string {
  const column = `${alias}${field.column}`;
  if (field.kind === "time") {
    return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${field.column}`;
  }
  if (field.kind === "text" || field.kind === "json") return `${column} AS ${field.column}`;
  return `${column}::text AS ${field.column}`;
}

/** The SELECT list for an entity: key, every field, and the bookkeeping stamps. */
export function selectList(spec: EntitySpec, alias = ""): string {
  const stamp = (column: string) => readExpression({ column, kind: "time" }, alias);
  return [
    `${alias}${spec.key} AS ${spec.key}`,
    ...spec.fields.map((field) => readExpression(field, alias)),
    stamp("first_seen_at"),
    stamp("updated_at"),
  ].join(", ");
}
