/**
 * Lifecycle messages (market_lifecycle_v2, event_lifecycle) → partial records for the store.
 * Status words follow what Kalshi's REST API reports afterwards (created → initialized,
 * activated → active, deactivated → inactive, determined, settled → finalized), so the next
 * sync agrees with what the stream applied.
 */
import type { EventLifecycle, MarketLifecycle } from "../../core/kalshi/types.js";
import { bool, number, price, priceRangesText, seriesOfEventTicker, text, time } from "./canonical.js";
import type { FieldValues } from "./entity-specs.js";

const STATUS_AFTER: Record<string, string> = {
  created: "initialized",
  activated: "active",
  deactivated: "inactive",
  determined: "determined",
  settled: "finalized",
};

const METADATA_TEXT = [
  "title",
  "yes_sub_title",
  "no_sub_title",
  "rules_primary",
  "rules_secondary",
  "strike_type",
  "event_ticker",
];

function metadataValues(metadata: Record<string, unknown> | undefined): FieldValues {
  const values: FieldValues = {};
  if (!metadata) return values;
  for (const column of METADATA_TEXT) {
    const value = metadata[column];
    if (typeof value === "string") values[column] = value;
  }
  if (typeof metadata.can_close_early === "boolean") values.can_close_early = bool(metadata.can_close_early);
  for (const column of ["floor_strike", "cap_strike"]) {
    const value = metadata[column];
    if (typeof value === "number") values[column] = number(value);
  }
  if (typeof metadata.expected_expiration_ts === "number")
    values.expected_expiration_time = time(metadata.expected_expiration_ts * 1000);
  return values;
}

/** Fields a market lifecycle message sets; empty when it changes nothing stored. */
export function marketPatch(message: MarketLifecycle): FieldValues {
  const values: FieldValues = {};
  const status = STATUS_AFTER[message.eventType];
  if (status) values.status = status;
  if (message.eventType === "deactivated" && message.isDeactivated === false) values.status = "active";
  if (message.openTs !== undefined) values.open_time = time(message.openTs);
  if (message.closeTs !== undefined) values.close_time = time(message.closeTs);
  if (message.eventType === "determined") {
    values.result = text(message.result || undefined);
    if (message.settlementValue !== undefined) values.settlement_value = price(message.settlementValue);
  }
  if (message.settledTs !== undefined) values.settlement_time = time(message.settledTs);
  if (message.priceLevelStructure !== undefined) values.price_level_structure = message.priceLevelStructure;
  if (message.priceRanges !== undefined) values.price_ranges = priceRangesText(message.priceRanges);
  if (message.eventType === "created" || message.eventType === "metadata_updated")
    Object.assign(values, metadataValues(message.additionalMetadata));
  return values;
}

/** When the lifecycle change happened, Unix ms: the exchange's own time when it sends one. */
export function occurredAt(message: MarketLifecycle, receivedMs: number): number {
  if (message.eventType === "determined" && message.determinationTs !== undefined)
    return message.determinationTs;
  if (message.eventType === "settled" && message.settledTs !== undefined) return message.settledTs;
  return receivedMs;
}

export function eventPatch(message: EventLifecycle): FieldValues {
  const values: FieldValues = {
    series_ticker: message.seriesTicker ?? seriesOfEventTicker(message.eventTicker),
  };
  if (message.title !== undefined) values.title = message.title;
  if (message.subtitle !== undefined) values.subtitle = message.subtitle;
  if (message.collateralReturnType !== undefined)
    values.collateral_return_type = message.collateralReturnType;
  if (message.strikeDate !== undefined) values.strike_date = time(message.strikeDate);
  if (message.strikePeriod !== undefined) values.strike_period = message.strikePeriod;
  return values;
}
