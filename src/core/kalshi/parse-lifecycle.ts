/**
 * The lifecycle channel (market_lifecycle_v2): market_lifecycle_v2 and
 * multivariate_market_lifecycle (same schema), event_lifecycle, event_fee_update, and the
 * retired multivariate channel's multivariate_lookup. Wire times are Unix seconds; the parsed
 * messages hold Unix ms like every other ssmd time.
 */
import {
  centsPrice,
  dollarsPrice,
  type Envelope,
  FieldReader,
  fieldError,
  isObject,
  withExtra,
} from "./parse-fields.js";
import type {
  EventFeeUpdate,
  EventLifecycle,
  MarketLifecycle,
  MultivariateLookup,
  PriceRange,
} from "./types.js";

/** settlement_value: a dollar string ("1.0000"); integer cents in older frames. */
function readSettlementValue(reader: FieldReader): number | undefined {
  if (!reader.has("settlement_value")) {
    reader.known("settlement_value");
    return undefined;
  }
  const value = reader.take("settlement_value");
  const path = reader.field("settlement_value");
  return typeof value === "number" ? centsPrice(value, path) : dollarsPrice(value, path);
}

export function readPriceRanges(reader: FieldReader): PriceRange[] | undefined {
  const entries = reader.optionalArray("price_ranges");
  if (entries === undefined) return undefined;
  return entries.map((entry, index) => {
    const path = `${reader.field("price_ranges")}[${index}]`;
    if (!isObject(entry)) throw fieldError(path, "an object", entry);
    const range = new FieldReader(entry, path);
    return { start: range.price("start"), end: range.price("end"), step: range.price("step") };
  });
}

export function parseMarketLifecycle(
  reader: FieldReader,
  envelope: Envelope,
  kind: MarketLifecycle["kind"],
): MarketLifecycle {
  const lifecycle: MarketLifecycle = {
    kind,
    sid: envelope.sid,
    seq: envelope.seq,
    ticker: reader.name("market_ticker"),
    eventType: reader.name("event_type"),
    openTs: reader.optionalSecondsAsMs("open_ts"),
    closeTs: reader.optionalSecondsAsMs("close_ts"),
    result: reader.optionalString("result"),
    determinationTs: reader.optionalSecondsAsMs("determination_ts"),
    settlementValue: readSettlementValue(reader),
    settledTs: reader.optionalSecondsAsMs("settled_ts"),
    isDeactivated: reader.optionalBoolean("is_deactivated"),
    priceLevelStructure: reader.optionalString("price_level_structure"),
    additionalMetadata: reader.optionalObject("additional_metadata"),
  };
  const priceRanges = readPriceRanges(reader);
  if (priceRanges !== undefined) lifecycle.priceRanges = priceRanges;
  return withExtra(lifecycle, reader);
}

export function parseEventLifecycle(reader: FieldReader, envelope: Envelope): EventLifecycle {
  reader.known("sub_title");
  const event: EventLifecycle = {
    kind: "event_lifecycle",
    sid: envelope.sid,
    seq: envelope.seq,
    eventTicker: reader.name("event_ticker"),
    seriesTicker: reader.optionalString("series_ticker"),
    title: reader.optionalString("title"),
    subtitle: reader.optionalString("subtitle") ?? reader.optionalString("sub_title"),
    collateralReturnType: reader.optionalString("collateral_return_type"),
    strikeDate: reader.optionalSecondsAsMs("strike_date"),
    strikePeriod: reader.optionalString("strike_period"),
  };
  return withExtra(event, reader);
}

export function parseEventFeeUpdate(reader: FieldReader, envelope: Envelope): EventFeeUpdate {
  const update: EventFeeUpdate = {
    kind: "event_fee_update",
    sid: envelope.sid,
    seq: envelope.seq,
    eventTicker: reader.name("event_ticker"),
    feeTypeOverride: reader.optionalString("fee_type_override"),
    feeMultiplierOverride: reader.optionalNumber("fee_multiplier_override"),
  };
  return withExtra(update, reader);
}

function readSelectedMarket(entry: unknown, path: string): MultivariateLookup["selectedMarkets"][number] {
  if (!isObject(entry)) throw fieldError(path, "an object", entry);
  const leg = new FieldReader(entry, path);
  return {
    eventTicker: leg.name("event_ticker"),
    ticker: leg.name("market_ticker"),
    side: leg.string("side"),
  };
}

export function parseMultivariateLookup(reader: FieldReader, envelope: Envelope): MultivariateLookup {
  const legs = reader.optionalArray("selected_markets") ?? [];
  const lookup: MultivariateLookup = {
    kind: "multivariate_lookup",
    sid: envelope.sid,
    seq: envelope.seq,
    collectionTicker: reader.name("collection_ticker"),
    eventTicker: reader.name("event_ticker"),
    ticker: reader.name("market_ticker"),
    selectedMarkets: legs.map((leg, index) =>
      readSelectedMarket(leg, `${reader.field("selected_markets")}[${index}]`),
    ),
  };
  return withExtra(lookup, reader);
}
