/**
 * REST Event (GET /events, /events/{ticker}) and Series (GET /series, /series/{ticker}) objects.
 * `category` lives on Series (deprecated on Event); Market has none. `sub_title` is the Event
 * spelling, `subtitle` is accepted too. Times are Unix ms.
 */
import type { Count } from "../decimal.js";
import { FieldReader, fieldError, isObject, type JsonObject, withExtra } from "./parse-fields.js";
import { type KalshiMarket, parseRestMarket } from "./rest-market.js";

export interface KalshiEvent {
  eventTicker: string;
  seriesTicker: string | undefined;
  title: string | undefined;
  subtitle: string | undefined;
  category: string | undefined;
  collateralReturnType: string | undefined;
  mutuallyExclusive: boolean | undefined;
  strikeDate: number | undefined;
  strikePeriod: string | undefined;
  lastUpdatedTime: number | undefined;
  /** Present with with_nested_markets=true. */
  markets: KalshiMarket[] | undefined;
  extra?: JsonObject;
}

export interface KalshiSeries {
  ticker: string;
  title: string | undefined;
  category: string | undefined;
  frequency: string | undefined;
  tags: string[];
  feeType: string | undefined;
  feeMultiplier: number | undefined;
  contractUrl: string | undefined;
  volume: Count | undefined;
  lastUpdatedTime: number | undefined;
  extra?: JsonObject;
}

export function parseRestEvent(value: unknown, path = "event"): KalshiEvent {
  if (!isObject(value)) throw fieldError(path, "an event object", value);
  const reader = new FieldReader(value, path);
  reader.known("subtitle");
  const markets = reader.optionalArray("markets");
  const event: KalshiEvent = {
    eventTicker: reader.name("event_ticker"),
    seriesTicker: reader.optionalString("series_ticker"),
    title: reader.optionalString("title"),
    subtitle: reader.optionalString("sub_title") ?? reader.optionalString("subtitle"),
    category: reader.optionalString("category"),
    collateralReturnType: reader.optionalString("collateral_return_type"),
    mutuallyExclusive: reader.optionalBoolean("mutually_exclusive"),
    strikeDate: reader.optionalTime("strike_date"),
    strikePeriod: reader.optionalString("strike_period"),
    lastUpdatedTime: reader.optionalTime("last_updated_ts"),
    markets: markets?.map((market, index) => parseRestMarket(market, `${path}.markets[${index}]`)),
  };
  return withExtra(event, reader);
}

function readTags(reader: FieldReader): string[] {
  const tags = reader.optionalArray("tags") ?? [];
  return tags.map((tag, index) => {
    if (typeof tag !== "string") throw fieldError(`${reader.field("tags")}[${index}]`, "a string", tag);
    return tag;
  });
}

export function parseRestSeries(value: unknown, path = "series"): KalshiSeries {
  if (!isObject(value)) throw fieldError(path, "a series object", value);
  const reader = new FieldReader(value, path);
  const series: KalshiSeries = {
    ticker: reader.name("ticker"),
    title: reader.optionalString("title"),
    category: reader.optionalString("category"),
    frequency: reader.optionalString("frequency"),
    tags: readTags(reader),
    feeType: reader.optionalString("fee_type"),
    feeMultiplier: reader.optionalNumber("fee_multiplier"),
    contractUrl: reader.optionalString("contract_url"),
    volume: reader.optionalCount("volume_fp", "volume"),
    lastUpdatedTime: reader.optionalTime("last_updated_ts"),
  };
  return withExtra(series, reader);
}
