/**
 * Shared by the connector integration/e2e tests: read a whole stream back, and check the
 * connector's promise against what the simulator recorded as sent — every data frame is in the
 * stream byte for byte (or missing only at the tail of a connection that a disconnect record
 * covers), malformed frames are dead letters, no duplicates, subjects and headers per contract.
 */
import assert from "node:assert/strict";
import type { Bus, BusMessage } from "../../src/adapters/bus/types.js";
import type { SentFrame } from "../../src/components/sim/index.js";
import { isGapRecord } from "../../src/core/gap-records.js";
import { channelOfType, scanFrameHeader } from "../../src/core/kalshi/scan-frame.js";
import { dataSubject } from "../../src/core/subjects.js";

const decoder = new TextDecoder();
const REPLY_TYPES = new Set(["subscribed", "ok", "unsubscribed", "error", "list_subscriptions"]);

export interface StoredMessage {
  subject: string;
  text: string;
  headers: Record<string, string>;
  seq: number;
}

/** Every message in the stream, in stream order. */
export async function readStream(bus: Bus, stream: string, timeoutMs = 10_000): Promise<StoredMessage[]> {
  const info = await bus.streamInfo(stream);
  const expected = info?.messages ?? 0;
  const out: StoredMessage[] = [];
  if (expected === 0) return out;
  const reader = await bus.consume({ stream, deliverFrom: { kind: "all" } });
  const timer = setTimeout(() => void reader.close(), timeoutMs);
  for await (const message of reader as AsyncIterable<BusMessage>) {
    out.push({
      subject: message.subject,
      text: decoder.decode(message.data),
      headers: message.headers,
      seq: message.seq,
    });
    if (out.length >= expected) break;
  }
  clearTimeout(timer);
  await reader.close();
  return out;
}

/** Waits until the stream holds at least `count` messages and stops growing. */
export async function waitForStream(
  bus: Bus,
  stream: string,
  count: number,
  timeoutMs = 10_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    const messages = (await bus.streamInfo(stream))?.messages ?? 0;
    if (messages >= count && messages === last) return messages;
    last = messages;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return last;
}

export interface CoverageReport {
  sentData: number;
  storedData: number;
  /** Sent data frames not in the stream. */
  missing: number;
  /** Of those, frames followed by stored frames of the same connection (not an outage's tail). */
  missingHoles: number;
  /** Live trade frames stored in their REST-backfill shape instead (same trade_id). */
  coveredByBackfill: number;
  backfilled: number;
  gaps: Record<string, unknown>[];
  disconnects: Record<string, unknown>[];
  deadLetters: Record<string, unknown>[];
  duplicatesSent: number;
}

function isMalformed(text: string): boolean {
  return !text.trimEnd().endsWith("}") || scanFrameHeader(text) === undefined;
}

/** Asserts the connector's promise; returns counts for further assertions. */
export function checkCoverage(sent: SentFrame[], stored: StoredMessage[], prefix: string): CoverageReport {
  const status = (kind: string) =>
    stored
      .filter((m) => m.subject === `${prefix}.status.${kind}`)
      .map((m) => JSON.parse(m.text) as Record<string, unknown>);
  const gaps = status("gap");
  const disconnects = status("disconnect");
  const deadLetters = status("dlq");
  for (const record of [...gaps, ...disconnects])
    assert.ok(isGapRecord(record), `gap record shape: ${JSON.stringify(record)}`);
  const data = stored.filter((m) => m.subject.startsWith(`${prefix}.json.`));
  assertContract(data, prefix);
  assertNoDuplicates(data);

  const pool = new Map<string, number>();
  for (const message of data) pool.set(message.text, (pool.get(message.text) ?? 0) + 1);
  const byConn = new Map<number, string[]>();
  let duplicatesSent = 0;
  const malformedSent: string[] = [];
  for (const frame of sent) {
    if (isMalformed(frame.text)) {
      malformedSent.push(frame.text);
      continue;
    }
    const header = scanFrameHeader(frame.text);
    if (!header || REPLY_TYPES.has(header.type)) continue;
    const frames = byConn.get(frame.connId) ?? [];
    if (frames.includes(frame.text)) {
      duplicatesSent += 1;
      continue;
    }
    frames.push(frame.text);
    byConn.set(frame.connId, frames);
  }
  // A trade at the edge of an outage window can be stored once in its REST-backfill shape instead of
  // its live shape (same trade_id, JetStream keeps whichever came first): covered, not missing.
  const backfilledTradeIds = new Set(
    data
      .filter((m) => m.text.includes('"source":"rest_backfill"'))
      .map((m) => scanFrameHeader(m.text)?.tradeId)
      .filter((id): id is string => id !== undefined),
  );
  let sentData = 0;
  let missingTail = 0;
  let missingHoles = 0;
  let coveredByBackfill = 0;
  for (const frames of byConn.values()) {
    sentData += frames.length;
    const found = frames.map((text) => {
      const left = pool.get(text) ?? 0;
      if (left > 0) pool.set(text, left - 1);
      if (left > 0) return true;
      const tradeId = scanFrameHeader(text)?.tradeId;
      const covered = tradeId !== undefined && backfilledTradeIds.has(tradeId);
      if (covered) coveredByBackfill += 1;
      return covered;
    });
    const lastFound = found.lastIndexOf(true);
    found.forEach((ok, index) => {
      if (ok) return;
      if (index > lastFound) missingTail += 1;
      else missingHoles += 1;
    });
  }
  const overflowed = gaps.some((gap) => gap.reason === "publish_buffer_overflow");
  if (missingTail > 0) {
    assert.ok(
      disconnects.length > 0 || overflowed,
      `${missingTail} frames missing at a connection's end, no record`,
    );
  }
  const leftovers = [...pool.entries()].filter(([, n]) => n > 0).map(([text]) => text);
  const backfilled = leftovers.filter((text) => text.includes('"source":"rest_backfill"'));
  assert.deepEqual(
    leftovers.filter((text) => !backfilled.includes(text)).slice(0, 3),
    [],
    "stored frames the simulator never sent",
  );
  const dlqFrames = deadLetters.map((record) => record.frame);
  for (const text of malformedSent)
    assert.ok(dlqFrames.includes(text), `malformed frame not in DLQ: ${text}`);
  return {
    sentData,
    storedData: data.length,
    missing: missingTail + missingHoles,
    missingHoles,
    coveredByBackfill,
    backfilled: backfilled.length,
    gaps,
    disconnects,
    deadLetters,
    duplicatesSent,
  };
}

function assertContract(data: StoredMessage[], prefix: string): void {
  for (const message of data) {
    const header = scanFrameHeader(message.text);
    assert.ok(header?.ticker, `no ticker in ${message.text.slice(0, 120)}`);
    const channel = channelOfType(header.type);
    assert.ok(channel, `unknown type ${header.type}`);
    assert.equal(message.subject, dataSubject(prefix, channel, header.ticker));
    assert.match(message.headers["Ssmd-Recv-Us"] ?? "", /^\d{16}$/);
    assert.ok(message.headers["Ssmd-Conn"], "Ssmd-Conn header");
    const msgId = message.headers["Nats-Msg-Id"];
    if (header.tradeId) assert.equal(msgId, header.tradeId);
    else if (header.seq !== undefined)
      assert.match(msgId ?? "", new RegExp(`^s:[^:]+:${header.sid}:${header.seq}$`));
    else assert.match(msgId ?? "", /^n:[^:]+:\d+$/);
  }
}

function assertNoDuplicates(data: StoredMessage[]): void {
  const ids = new Set<string>();
  const trades = new Set<string>();
  for (const message of data) {
    const id = message.headers["Nats-Msg-Id"] ?? "";
    assert.ok(!ids.has(id), `duplicate Nats-Msg-Id ${id}`);
    ids.add(id);
    const tradeId = scanFrameHeader(message.text)?.tradeId;
    if (tradeId) {
      assert.ok(!trades.has(tradeId), `trade ${tradeId} stored twice`);
      trades.add(tradeId);
    }
  }
}
