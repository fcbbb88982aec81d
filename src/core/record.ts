/**
 * The one record shape that every source yields, live or replayed (STYLE.md §1):
 * the connector's stream, the archive reader and the replay engine all produce StreamRecord,
 * so parsers, order books and signals cannot tell which source fed them.
 */
export interface StreamRecord {
  /** Receive time at the connector, Unix microseconds. */
  rt: number;
  /** JetStream stream sequence; 0 when the record never passed through a stream. */
  seq: number;
  /** NATS subject, e.g. prod.kalshi.json.trade.KXBTCD-26FEB1217-T67749_99 */
  subject: string;
  /** The exchange frame (or ssmd status record) verbatim, as JSON text. */
  msg: string;
}

/** Headers the connector puts on every published message (contract §3). */
export const HEADER_MSG_ID = "Nats-Msg-Id";
export const HEADER_RECV_US = "Ssmd-Recv-Us";
export const HEADER_CONN = "Ssmd-Conn";
