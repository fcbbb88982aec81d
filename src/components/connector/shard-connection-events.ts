/**
 * What a shard does with the events of one connection, other than data frames: a seq gap/reset
 * becomes an ssmd_gap record and a re-snapshot, Kalshi replies are acknowledged or counted (a
 * terminal error ends the connection), a silent connection is ended as stale, and a failed
 * command is counted and logged.
 */
import { errorMessage } from "../../core/errors.js";
import type { KalshiMessage } from "../../core/kalshi/types.js";
import { SeqTracker, type SeqVerdict } from "../../core/seq-tracker.js";
import type { ConnectionSubscriptions } from "./connection-subscriptions.js";
import type { FrameSource } from "./frame-handler.js";
import type { WsSession } from "./ports.js";
import type { ShardDeps } from "./shard-deps.js";

/** Ends the current connection with a reason (closed, stale, subscription_error). */
export type EndConnection = (reason: string) => void;

/** Kalshi errors after which a subscription is dead (PROTOCOL.md §2.6). */
const TERMINAL_CODES = new Set([10, 17, 25]);

/** The frame handler's view of connection `conn`: its seq tracker and where seq breaks go. */
export function frameSource(
  deps: ShardDeps,
  conn: string,
  subscriptions: ConnectionSubscriptions,
): FrameSource {
  const tracker = new SeqTracker();
  return {
    conn,
    frames: 0,
    tracker,
    onSeqBreak: (sid, verdict, receivedUs) => onSeqBreak(deps, subscriptions, conn, sid, verdict, receivedUs),
    onLifecycle: (type, ticker, text) => deps.onLifecycle(type, ticker, text),
  };
}

function onSeqBreak(
  deps: ShardDeps,
  subscriptions: ConnectionSubscriptions,
  conn: string,
  sid: number,
  verdict: SeqVerdict,
  receivedUs: number,
): void {
  const tickers = [...(subscriptions.get(sid)?.tickers ?? [])].sort();
  const record = deps.records.seqGap(conn, sid, verdict, tickers, receivedUs);
  deps.metrics.gap(verdict.kind === "gap" ? "seq_gap" : "seq_reset");
  deps.publisher.enqueue(record, true);
  deps.logger.warn("sequence gap", { shard: deps.index, conn, sid, ...verdict });
  void subscriptions.resnapshot(sid);
}

export function onReply(
  deps: ShardDeps,
  source: FrameSource,
  message: KalshiMessage,
  end: EndConnection,
): void {
  if (message.kind === "ok" || message.kind === "unsubscribed") {
    deps.handler.reply(source, message.sid, message.seq);
    if (message.kind === "unsubscribed" && message.sid !== undefined) source.tracker.forget(message.sid);
    return;
  }
  if (message.kind !== "error") return;
  deps.metrics.error(`kalshi_error_${message.code}`);
  deps.logger.warn("kalshi error reply", {
    shard: deps.index,
    code: message.code,
    message: message.message,
    market: message.marketTicker,
  });
  if (TERMINAL_CODES.has(message.code) && message.id === undefined) end("subscription_error");
}

/** The watchdog tick: ends a connection that sent neither ping nor data for staleAfterMs. */
export function checkStale(deps: ShardDeps, session: WsSession, end: EndConnection): void {
  const silentMs = deps.clock.nowMs() - session.lastActivityMs;
  if (silentMs < deps.config.watchdog.staleAfterMs) return;
  deps.logger.warn("no ping or data from kalshi, reconnecting", {
    shard: deps.index,
    silent_ms: silentMs,
  });
  end("stale");
}

export function commandFailed(deps: ShardDeps, command: string, error: unknown): void {
  deps.metrics.error("command");
  deps.logger.warn("kalshi command failed", {
    shard: deps.index,
    command,
    error: errorMessage(error),
  });
}
