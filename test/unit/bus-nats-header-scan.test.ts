import assert from "node:assert/strict";
import { test } from "node:test";
import { headers as natsHeaders } from "nats";
import { scanHeader } from "../../src/adapters/bus/nats-header-scan.js";

const bytes = (text: string) => new TextEncoder().encode(text);

test("scanHeader reads one header from the raw block, as nats.js would decode it", () => {
  const h = natsHeaders();
  h.set("Nats-Msg-Id", "s:c1:2:881");
  h.set("Ssmd-Recv-Us", "1765670400123456");
  const block = bytes(h.toString());
  assert.equal(scanHeader(block, "Nats-Msg-Id"), "s:c1:2:881");
  assert.equal(scanHeader(block, "Ssmd-Recv-Us"), "1765670400123456");
  assert.equal(scanHeader(block, "Ssmd-Conn"), undefined);
});

test("scanHeader: names match case-insensitively, values are trimmed, the first occurrence wins", () => {
  const block = bytes("NATS/1.0\r\nnats-msg-id:   a-1 \r\nNats-Msg-Id: a-2\r\nX:\r\n\r\n");
  assert.equal(scanHeader(block, "Nats-Msg-Id"), "a-1");
  assert.equal(scanHeader(block, "X"), "");
});

test("scanHeader: a status line, a prefix of another name and a truncated block", () => {
  const block = bytes("NATS/1.0 100 Idle Heartbeat\r\nNats-Msg-Id-Extra: no\r\nNats-Msg-Id: yes\r\n\r\n");
  assert.equal(scanHeader(block, "Nats-Msg-Id"), "yes");
  assert.equal(scanHeader(block, "Nats"), undefined);
  assert.equal(scanHeader(bytes("NATS/1.0\r\nA: 1"), "A"), "1");
  assert.equal(scanHeader(bytes(""), "A"), undefined);
});
