/**
 * Nats-Msg-Id derivation: the JetStream deduplication key of each published frame
 * (contract: ARCHITECTURE.md §3). The key must be stable for one frame — publish retries after a
 * NATS timeout reuse it, so JetStream stores the frame once — and must never be shared by two
 * different frames.
 *
 *   trade frames      `{trade_id}` verbatim     Kalshi's id: the same trade seen live on two
 *                                               connections, or live and again from the REST
 *                                               backfill after an outage, is stored once.
 *   sequenced frames  `s:{conn}:{sid}:{seq}`    sids restart at 1 on every connection, so the
 *                                               connection id (unique per connection attempt)
 *                                               keeps a new connection's sid 1 seq 1 from being
 *                                               taken for a duplicate of the old connection's.
 *                     `s:{conn}~{run}:{sid}:{seq}` after the sid's seq restarted on the same
 *                                               connection (a reset, or a sid reused after
 *                                               unsubscribe): run 1, 2, ... (SeqTracker.run).
 *   everything else   `n:{conn}:{n}`            the frame's number on its connection (ticker,
 *                                               lifecycle: frames without seq or trade id). Not a
 *                                               content hash: two byte-identical ticker frames
 *                                               (same values, same ms) are still two frames Kalshi
 *                                               sent, and a hash would make JetStream drop the
 *                                               second; the key only has to survive publish
 *                                               retries, which reuse it.
 *   status records    `g:{instance}:{n}`        gap/disconnect/dlq records, numbered by the
 *                                               connector process (instance id is random).
 */
export interface MsgIdInput {
  /** trade_id of a trade frame. */
  tradeId?: string | undefined;
  sid?: number | undefined;
  seq?: number | undefined;
  /** How many times the sid's seq restarted on this connection (0 = never). */
  run?: number | undefined;
  /** Connection id (Ssmd-Conn). */
  conn: string;
  /** The frame's number on its connection (1, 2, ...). */
  frameNo: number;
}

export function deriveMsgId(input: MsgIdInput): string {
  if (input.tradeId !== undefined && input.tradeId !== "") return tradeMsgId(input.tradeId);
  if (input.sid !== undefined && input.seq !== undefined) {
    const epoch = input.run ? `${input.conn}~${input.run}` : input.conn;
    return `s:${epoch}:${input.sid}:${input.seq}`;
  }
  return `n:${input.conn}:${input.frameNo}`;
}

export function statusMsgId(instance: string, counter: number): string {
  return `g:${instance}:${counter}`;
}

/**
 * A trade_id as a header value. Ids come from Kalshi: one holding a control character (an escaped
 * CR/LF in the JSON) or edge spaces cannot be a NATS header value as is — nats.js refuses CR/LF,
 * which would fail that publish on every retry, and trims spaces. Such an id is used in its JSON
 * spelling instead (quoted, escaped): still deterministic, so the live and the backfilled copy of
 * one trade keep the same key. Ordinary ids are used verbatim.
 */
export function tradeMsgId(tradeId: string): string {
  return isHeaderSafe(tradeId) ? tradeId : JSON.stringify(tradeId);
}

function isHeaderSafe(value: string): boolean {
  if (value.charCodeAt(0) === 32 || value.charCodeAt(value.length - 1) === 32) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 32 || code === 127) return false;
  }
  return true;
}
