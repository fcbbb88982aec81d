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
 *   everything else   `h:{conn}:{sha1(bytes)}`  content hash of the exact frame bytes, per
 *                                               connection: a byte-identical frame on the same
 *                                               connection inside the duplicate window is a true
 *                                               duplicate; the same bytes on a new connection
 *                                               (e.g. the initial ticker snapshot re-sent after a
 *                                               reconnect) are kept, because consumers reset on
 *                                               the disconnect record and need them again.
 *   status records    `g:{instance}:{n}`        gap/disconnect/dlq records, numbered by the
 *                                               connector process (instance id is random).
 * Hashing is the caller's job (core has no I/O but node:crypto is pure; kept out of here so the
 * function stays trivially testable): pass `contentHash` for frames that need it.
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
  /** Lazily computed content hash of the frame bytes (only called when needed). */
  contentHash: () => string;
}

export function deriveMsgId(input: MsgIdInput): string {
  if (input.tradeId !== undefined && input.tradeId !== "") return input.tradeId;
  if (input.sid !== undefined && input.seq !== undefined) {
    const epoch = input.run ? `${input.conn}~${input.run}` : input.conn;
    return `s:${epoch}:${input.sid}:${input.seq}`;
  }
  return `h:${input.conn}:${input.contentHash()}`;
}

export function statusMsgId(instance: string, counter: number): string {
  return `g:${instance}:${counter}`;
}
