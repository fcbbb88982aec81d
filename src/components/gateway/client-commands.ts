/**
 * Client → gateway messages, validated at the edge:
 *   {"action":"subscribe"|"unsubscribe","symbols":["A","B"],"channels":["orderbook","trade","ticker"]?}
 * and the same through the URL: /v1/stream?symbols=A,B&channels=trade,ticker.
 * Bad input gives an error event (code + message), never an exception.
 */
import { CLIENT_CHANNELS, type ClientChannel, type ErrorCode } from "./events.js";

export interface ClientCommand {
  action: "subscribe" | "unsubscribe";
  symbols: string[];
  /** Undefined: every channel. */
  channels: ClientChannel[] | undefined;
}

export type CommandResult =
  | { ok: true; command: ClientCommand }
  | { ok: false; code: ErrorCode; message: string };

const MAX_SYMBOL_LENGTH = 128;
const EXAMPLE = '{"action":"subscribe","symbols":["KXBTCD-26FEB1217-T67749.99"]}';

function fail(code: ErrorCode, message: string): CommandResult {
  return { ok: false, code, message };
}

export function parseClientCommand(text: string): CommandResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail("malformed_json", `message is not valid JSON; send e.g. ${EXAMPLE}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("bad_request", `message must be a JSON object, e.g. ${EXAMPLE}`);
  }
  const { action, symbols, channels } = value as Record<string, unknown>;
  if (action !== "subscribe" && action !== "unsubscribe") {
    return fail(
      "bad_request",
      `"action" must be "subscribe" or "unsubscribe", got ${JSON.stringify(action) ?? "nothing"}`,
    );
  }
  const symbolList = checkSymbols(symbols);
  if (typeof symbolList === "string") return fail("bad_request", symbolList);
  const channelList = checkChannels(channels);
  if (!channelList.ok) return fail(channelList.code, channelList.message);
  return { ok: true, command: { action, symbols: symbolList, channels: channelList.channels } };
}

function checkSymbols(symbols: unknown): string[] | string {
  if (!Array.isArray(symbols) || symbols.length === 0)
    return '"symbols" must be a non-empty array of tickers';
  const valid = symbols.every(
    (symbol) => typeof symbol === "string" && symbol.length > 0 && symbol.length <= MAX_SYMBOL_LENGTH,
  );
  if (!valid) return `"symbols" must hold ticker strings of 1..${MAX_SYMBOL_LENGTH} characters`;
  return [...new Set(symbols as string[])];
}

type ChannelCheck =
  | { ok: true; channels: ClientChannel[] | undefined }
  | { ok: false; code: ErrorCode; message: string };

function checkChannels(channels: unknown): ChannelCheck {
  if (channels === undefined || channels === null) return { ok: true, channels: undefined };
  if (!Array.isArray(channels) || channels.some((channel) => typeof channel !== "string")) {
    return { ok: false, code: "bad_request", message: '"channels" must be an array of channel names' };
  }
  const unknown = channels.filter((channel) => !CLIENT_CHANNELS.includes(channel as ClientChannel));
  if (unknown.length > 0) {
    return {
      ok: false,
      code: "unknown_channel",
      message: `unknown channel(s) ${unknown.join(", ")}; channels are ${CLIENT_CHANNELS.join(", ")}`,
    };
  }
  return { ok: true, channels: channels.length === 0 ? undefined : (channels as ClientChannel[]) };
}

/** URL form: ?symbols=A,B&channels=trade,ticker → a subscribe command (undefined when no symbols). */
export function commandFromQuery(params: URLSearchParams): CommandResult | undefined {
  const symbols = splitList(params.get("symbols"));
  if (symbols.length === 0) return undefined;
  const channels = params.get("channels");
  const channelList = checkChannels(channels === null ? undefined : splitList(channels));
  if (!channelList.ok) return fail(channelList.code, channelList.message);
  const symbolList = checkSymbols(symbols);
  if (typeof symbolList === "string") return fail("bad_request", symbolList);
  return { ok: true, command: { action: "subscribe", symbols: symbolList, channels: channelList.channels } };
}

function splitList(text: string | null): string[] {
  return (text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
