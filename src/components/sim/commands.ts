/**
 * Client command parsing and validation (PROTOCOL.md §2): text → a typed command, or the
 * Kalshi error code the exchange answers with. Checks that need live state (unknown market,
 * unknown sid, limits) happen in the session.
 */
import { KalshiErrorCode as Code } from "../../core/kalshi/types.js";

const DATA_CHANNELS = ["orderbook_delta", "ticker", "trade", "market_lifecycle_v2"] as const;
/** Channels that exist but carry no simulated data (private, or multivariate). */
const QUIET_CHANNELS = [
  "fill",
  "market_positions",
  "communications",
  "order_group_updates",
  "user_orders",
  "multivariate",
  "multivariate_market_lifecycle",
];
/** Channels that needed an authenticated connection in the 2025 (auth optional) era. */
export const PRIVATE_CHANNELS = new Set([
  "orderbook_delta",
  "fill",
  "market_positions",
  "communications",
  "order_group_updates",
  "user_orders",
]);
const KNOWN_CHANNELS = new Set<string>([...DATA_CHANNELS, ...QUIET_CHANNELS]);

export interface SubscribeCommand {
  cmd: "subscribe";
  id: number | undefined;
  channels: string[];
  /** undefined = all markets (no market spec). */
  tickers: string[] | undefined;
  marketIds: string[] | undefined;
  sendInitialSnapshot: boolean;
  skipTickerAck: boolean;
  useYesPrice: boolean;
}

export interface UnsubscribeCommand {
  cmd: "unsubscribe";
  id: number | undefined;
  sids: number[];
}

export interface UpdateCommand {
  cmd: "update_subscription";
  id: number | undefined;
  sid: number;
  action: "add_markets" | "delete_markets" | "get_snapshot";
  tickers: string[] | undefined;
  marketIds: string[] | undefined;
  sendInitialSnapshot: boolean;
}

export interface ListCommand {
  cmd: "list_subscriptions";
  id: number | undefined;
}

export type Command = SubscribeCommand | UnsubscribeCommand | UpdateCommand | ListCommand;

export class CommandError {
  constructor(
    readonly id: number | undefined,
    readonly code: number,
    readonly marketTicker?: string,
  ) {}
}

type Params = Record<string, unknown>;

function isObject(value: unknown): value is Params {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return (
    Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && item !== "")
  );
}

function isSid(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

/** Parses one client frame; a CommandError carries the code to answer with. */
export function parseCommand(text: string): Command | CommandError {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return new CommandError(undefined, Code.UnableToProcess);
  }
  if (!isObject(frame)) return new CommandError(undefined, Code.UnableToProcess);
  const rawId = frame.id;
  if (rawId !== undefined && (typeof rawId !== "number" || !Number.isInteger(rawId) || rawId < 0)) {
    return new CommandError(undefined, Code.InvalidParameter);
  }
  const id = rawId === 0 ? undefined : rawId; // id 0 is "no id"
  switch (frame.cmd) {
    case "subscribe":
      return parseSubscribe(id, frame.params);
    case "unsubscribe":
      return parseUnsubscribe(id, frame.params);
    case "update_subscription":
      return parseUpdate(id, frame.params);
    case "list_subscriptions":
      return { cmd: "list_subscriptions", id };
    default:
      return new CommandError(id, Code.UnknownCommand);
  }
}

/** market_ticker XOR market_tickers (and the same for ids); undefined = none given. */
function marketSpec(
  id: number | undefined,
  params: Params,
): { tickers: string[] | undefined; marketIds: string[] | undefined } | CommandError {
  const one = params.market_ticker;
  const many = params.market_tickers;
  if (one !== undefined && many !== undefined) return new CommandError(id, Code.InvalidParameter);
  if (one !== undefined && (typeof one !== "string" || one === ""))
    return new CommandError(id, Code.InvalidParameter);
  if (many !== undefined && !isStringList(many)) return new CommandError(id, Code.InvalidParameter);
  const oneId = params.market_id;
  const manyIds = params.market_ids;
  if (oneId !== undefined && manyIds !== undefined) return new CommandError(id, Code.InvalidParameter);
  if (oneId !== undefined && typeof oneId !== "string") return new CommandError(id, Code.InvalidParameter);
  if (manyIds !== undefined && !isStringList(manyIds)) return new CommandError(id, Code.InvalidParameter);
  const tickers = typeof one === "string" ? [one] : (many as string[] | undefined);
  const marketIds = typeof oneId === "string" ? [oneId] : (manyIds as string[] | undefined);
  return { tickers: tickers && [...new Set(tickers)], marketIds };
}

function flag(params: Params, key: string, id: number | undefined): boolean | CommandError {
  const value = params[key];
  if (value === undefined) return false;
  return typeof value === "boolean" ? value : new CommandError(id, Code.InvalidParameter);
}

function parseSubscribe(id: number | undefined, params: unknown): SubscribeCommand | CommandError {
  if (!isObject(params)) return new CommandError(id, Code.ParamsRequired);
  const channels = params.channels;
  if (!Array.isArray(channels) || channels.length === 0) return new CommandError(id, Code.ChannelsRequired);
  for (const channel of channels) {
    if (typeof channel !== "string" || !KNOWN_CHANNELS.has(channel))
      return new CommandError(id, Code.UnknownChannel);
  }
  const spec = marketSpec(id, params);
  if (spec instanceof CommandError) return spec;
  const flags = ["send_initial_snapshot", "skip_ticker_ack", "use_yes_price"].map((key) =>
    flag(params, key, id),
  );
  const bad = flags.find((value) => value instanceof CommandError);
  if (bad instanceof CommandError) return bad;
  if (channels.includes("orderbook_delta")) {
    if (spec.marketIds) return new CommandError(id, Code.InvalidParameter); // orderbook rejects market_id(s)
    if (!spec.tickers) return new CommandError(id, Code.MarketTickerRequired);
  }
  if (spec.marketIds && channels.some((channel) => channel !== "ticker")) {
    return new CommandError(id, Code.InvalidParameter);
  }
  const [sendInitialSnapshot, skipTickerAck, useYesPrice] = flags as boolean[];
  return {
    cmd: "subscribe",
    id,
    channels: [...new Set(channels as string[])],
    ...spec,
    sendInitialSnapshot: sendInitialSnapshot ?? false,
    skipTickerAck: skipTickerAck ?? false,
    useYesPrice: useYesPrice ?? false,
  };
}

function parseUnsubscribe(id: number | undefined, params: unknown): UnsubscribeCommand | CommandError {
  if (!isObject(params)) return new CommandError(id, Code.ParamsRequired);
  const sids = params.sids;
  if (!Array.isArray(sids) || sids.length === 0) return new CommandError(id, Code.SidsRequired);
  if (!sids.every(isSid)) return new CommandError(id, Code.InvalidParameter);
  return { cmd: "unsubscribe", id, sids: [...new Set(sids)] };
}

const ACTIONS = new Set(["add_markets", "delete_markets", "get_snapshot"]);

function parseUpdate(id: number | undefined, params: unknown): UpdateCommand | CommandError {
  if (!isObject(params)) return new CommandError(id, Code.ParamsRequired);
  if (params.action === undefined) return new CommandError(id, Code.ActionRequired);
  const hasSid = params.sid !== undefined;
  const hasSids = params.sids !== undefined;
  if (hasSid === hasSids) return new CommandError(id, Code.OneSidRequired);
  const sid = hasSid
    ? params.sid
    : Array.isArray(params.sids) && params.sids.length === 1
      ? params.sids[0]
      : undefined;
  if (sid === undefined) return new CommandError(id, Code.OneSidRequired);
  if (!isSid(sid)) return new CommandError(id, Code.InvalidParameter);
  if (typeof params.action !== "string" || !ACTIONS.has(params.action)) {
    return new CommandError(id, Code.UnsupportedAction);
  }
  const spec = marketSpec(id, params);
  if (spec instanceof CommandError) return spec;
  if (!spec.tickers && !spec.marketIds) return new CommandError(id, Code.MarketTickerRequired);
  const sendInitialSnapshot = flag(params, "send_initial_snapshot", id);
  if (sendInitialSnapshot instanceof CommandError) return sendInitialSnapshot;
  return {
    cmd: "update_subscription",
    id,
    sid,
    action: params.action as UpdateCommand["action"],
    ...spec,
    sendInitialSnapshot,
  };
}
