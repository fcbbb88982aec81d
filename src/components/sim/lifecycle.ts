/**
 * Market lifecycle over simulated time, on a fixed interval: markets past their close time
 * close and are determined (WS `determined`; Kalshi sends nothing for the close itself), the
 * ones determined on the previous step settle, and each closed market is replaced by a new
 * listing (`event_lifecycle` for a new event, then `created` and `activated`).
 */
import { ONE_DOLLAR } from "../../core/decimal.js";
import type { EventLifecycle, MarketDataMessage } from "../../core/kalshi/types.js";
import { lifecycleOf } from "./messages.js";
import { priceGrid, priceRangesJson } from "./price-grid.js";
import type { World } from "./world.js";
import type { SimEvent, SimMarket } from "./world-types.js";

type Emit = (message: MarketDataMessage) => void;

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Lifecycle steps a determined market waits before it settles. */
const SETTLE_AFTER_STEPS = 3;

export function runLifecycleStep(world: World, emit: Emit): void {
  const settleBefore = world.nowMs - SETTLE_AFTER_STEPS * world.options.lifecycleIntervalMs;
  for (const market of world.markets.values()) {
    if (market.status === "determined" && (market.determinedMs ?? 0) <= settleBefore)
      settle(world, market, emit);
  }
  const closing = world.activeMarkets().filter((market) => market.closeMs <= world.nowMs);
  for (const market of closing) determine(world, market, emit);
  for (let i = 0; i < closing.length; i++) listReplacement(world, emit);
}

function determine(world: World, market: SimMarket, emit: Emit): void {
  const fair = priceGrid(market.structure)[market.fairIndex] ?? 0;
  market.status = "determined";
  world.statusChanged();
  market.result = fair >= ONE_DOLLAR / 2 ? "yes" : "no";
  market.determinedMs = world.nowMs;
  market.updatedMs = world.nowMs;
  emit(
    lifecycleOf(market, "determined", {
      result: market.result,
      determinationTs: seconds(world.nowMs),
      settlementValue: market.result === "yes" ? ONE_DOLLAR : 0,
    }),
  );
}

function settle(world: World, market: SimMarket, emit: Emit): void {
  market.status = "finalized";
  world.statusChanged();
  market.settledMs = world.nowMs;
  market.updatedMs = world.nowMs;
  emit(lifecycleOf(market, "settled", { settledTs: seconds(world.nowMs) }));
}

function listReplacement(world: World, emit: Emit): void {
  const closeMs = world.nowMs + world.options.markets * world.options.lifecycleIntervalMs;
  const { market, newEvent } = world.listMarket(world.nowMs, closeMs);
  if (newEvent) emit(eventLifecycleOf(newEvent));
  emit(
    lifecycleOf(market, "created", {
      openTs: seconds(market.openMs),
      closeTs: seconds(market.closeMs),
      priceLevelStructure: market.structure,
      additionalMetadata: metadataOf(market),
      extra: { price_ranges: priceRangesJson(market.structure) },
    }),
  );
  emit(
    lifecycleOf(market, "activated", { openTs: seconds(market.openMs), closeTs: seconds(market.closeMs) }),
  );
}

function metadataOf(market: SimMarket): Record<string, unknown> {
  const strikes: Record<string, unknown> = { strike_type: market.strikeType };
  if (market.floorStrike !== undefined) strikes.floor_strike = market.floorStrike;
  if (market.capStrike !== undefined) strikes.cap_strike = market.capStrike;
  return {
    name: market.title,
    title: market.title,
    yes_sub_title: market.yesSubTitle,
    no_sub_title: market.noSubTitle,
    rules_primary: `If ${market.title.toLowerCase()} resolves Yes, the market settles at $1.`,
    rules_secondary: "",
    can_close_early: true,
    event_ticker: market.eventTicker,
    expected_expiration_ts: seconds(market.expirationMs),
    ...strikes,
  };
}

function eventLifecycleOf(event: SimEvent): EventLifecycle {
  return {
    sid: undefined,
    seq: undefined,
    kind: "event_lifecycle",
    eventTicker: event.eventTicker,
    seriesTicker: event.seriesTicker,
    title: event.title,
    subtitle: event.subtitle,
    collateralReturnType: event.mutuallyExclusive ? "MECNET" : "",
    strikeDate: seconds(event.strikeDateMs),
    strikePeriod: undefined,
  };
}
