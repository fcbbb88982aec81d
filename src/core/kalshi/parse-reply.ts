/**
 * Command replies: subscribed, unsubscribed, ok (update_subscription and list_subscriptions),
 * error. Shapes vary by date: very old `subscribed` omitted `msg`; some `ok` replies put
 * `market_tickers` at the top level instead of in `msg`; list_subscriptions answers `type: "ok"`
 * with an array `msg`, and some servers answer `type: "list_subscriptions"`. All are accepted.
 */
import { type Envelope, FieldReader, fieldError, isObject, withExtra } from "./parse-fields.js";
import type { ErrorReply, OkReply, Subscribed, Unsubscribed } from "./types.js";

/** Readers for a reply: the top-level object and, when it is an object, its `msg`. */
export interface ReplyReaders {
  top: FieldReader;
  msg: FieldReader | undefined;
  envelope: Envelope;
  id: number | undefined;
}

function stringList(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw fieldError(path, "an array of strings", value);
  return value.map((item, index) => {
    if (typeof item !== "string") throw fieldError(`${path}[${index}]`, "a string", item);
    return item;
  });
}

function subscriptionList(value: unknown[], path: string): { channel: string; sid: number }[] {
  return value.map((entry, index) => {
    if (!isObject(entry)) throw fieldError(`${path}[${index}]`, "an object", entry);
    const item = new FieldReader(entry, `${path}[${index}]`);
    const sid = item.optionalInteger("sid");
    if (sid === undefined) throw fieldError(item.field("sid"), "an integer", undefined);
    return { channel: item.string("channel"), sid };
  });
}

export function parseSubscribed({ msg, envelope, id }: ReplyReaders): Subscribed {
  const channel = msg === undefined ? "" : msg.name("channel");
  const sid = envelope.sid ?? msg?.optionalNatural("sid");
  const reply: Subscribed = { kind: "subscribed", sid, seq: envelope.seq, id, channel };
  return msg === undefined ? reply : withExtra(reply, msg);
}

export function parseUnsubscribed({ msg, envelope, id }: ReplyReaders): Unsubscribed {
  const reply: Unsubscribed = { kind: "unsubscribed", sid: envelope.sid, seq: envelope.seq, id };
  return msg === undefined ? reply : withExtra(reply, msg);
}

export function parseOk({ top, msg, envelope, id }: ReplyReaders): OkReply {
  const reply: OkReply = {
    kind: "ok",
    sid: envelope.sid,
    seq: envelope.seq,
    id,
    marketTickers: undefined,
    subscriptions: undefined,
  };
  const list = top.source["msg"];
  if (Array.isArray(list)) reply.subscriptions = subscriptionList(list, "msg");
  if (msg?.has("market_tickers")) {
    reply.marketTickers = stringList(msg.take("market_tickers"), msg.field("market_tickers"));
  } else if (top.has("market_tickers")) {
    reply.marketTickers = stringList(top.take("market_tickers"), "frame.market_tickers");
  }
  return msg === undefined ? reply : withExtra(reply, msg);
}

export function parseErrorReply({ msg, envelope, id }: ReplyReaders): ErrorReply {
  if (msg === undefined) throw fieldError("frame.msg", "an object with code and msg", undefined);
  const code = msg.optionalInteger("code");
  if (code === undefined) throw fieldError(msg.field("code"), "an integer", undefined);
  const reply: ErrorReply = {
    kind: "error",
    sid: envelope.sid,
    seq: envelope.seq,
    id,
    code,
    message: msg.optionalString("msg") ?? "",
    marketTicker: msg.optionalString("market_ticker"),
  };
  return withExtra(reply, msg);
}
