/**
 * The connector's hot path on the real in-memory bus: subjects per channel (event lifecycle under
 * its event ticker), dead letters for unknown types / frames without a ticker / malformed text,
 * seq duplicates dropped, gaps reported before the frame, replies not published but advancing seq.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import type { BusMessage } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { FrameHandler, type FrameSource } from "../../src/components/connector/frame-handler.js";
import { ConnectorMetrics } from "../../src/components/connector/metrics.js";
import { Publisher } from "../../src/components/connector/publisher.js";
import { DEFAULT_PUBLISHER_OPTIONS } from "../../src/components/connector/publisher-types.js";
import { RecentIds } from "../../src/components/connector/recent-ids.js";
import { StatusRecords } from "../../src/components/connector/status-records.js";
import { SeqTracker, type SeqVerdict } from "../../src/core/seq-tracker.js";

const PREFIX = "u.kalshi";

async function setup() {
  const bus = createMemoryBus();
  await bus.ensureStream({ name: "U", subjects: [`${PREFIX}.>`] });
  const metrics = new ConnectorMetrics("unit", {
    lagSeconds: () => 0,
    lastMessageAgeSeconds: () => 0,
    inFlight: () => 0,
    buffered: () => 0,
    connectedShards: () => 1,
    marketsSubscribed: () => 0,
  });
  const records = new StatusRecords(PREFIX, "unit", "inst");
  const publisher = new Publisher(bus, DEFAULT_PUBLISHER_OPTIONS, {
    nowUs: () => 0,
    onAck: () => {},
    onRetry: () => {},
    onDrop: () => {},
    onRejected: () => undefined,
    lossRecord: () => {
      throw new Error("no loss expected");
    },
    logger: silentLogger,
  });
  const handler = new FrameHandler(PREFIX, publisher, records, metrics, new RecentIds(100), silentLogger);
  const breaks: { sid: number; verdict: SeqVerdict }[] = [];
  const lifecycle: string[] = [];
  const source: FrameSource = {
    conn: "inst-0-1",
    frames: 0,
    tracker: new SeqTracker(),
    onSeqBreak: (sid, verdict) => {
      breaks.push({ sid, verdict });
      publisher.enqueue(
        records.gap(
          {
            type: "ssmd_gap",
            reason: "seq_gap",
            conn: "inst-0-1",
            sid,
            fromSeq: null,
            toSeq: null,
            tickers: [],
            startedUs: 1,
            endedUs: 1,
          },
          1,
        ),
        true,
      );
    },
    onLifecycle: (type, ticker) => lifecycle.push(`${type}:${ticker}`),
  };
  const feed = (text: string, us = 1_700_000_000_000_000) => handler.handle(source, Buffer.from(text), us);
  const stored = async (): Promise<BusMessage[]> => {
    await publisher.flush(2000);
    const out: BusMessage[] = [];
    const reader = await bus.consume({ stream: "U", deliverFrom: { kind: "all" } });
    const total = (await bus.streamInfo("U"))?.messages ?? 0;
    if (total === 0) return out;
    for await (const message of reader) {
      out.push(message);
      if (out.length >= total) break;
    }
    await reader.close();
    return out;
  };
  return { feed, stored, breaks, lifecycle, metrics, source };
}

const text = (message: BusMessage) => new TextDecoder().decode(message.data);

describe("connector frame handler", () => {
  it("publishes frames verbatim under their channel subject, events under the event ticker", async () => {
    const { feed, stored, lifecycle } = await setup();
    const trade =
      '{"type":"trade","sid":11,"msg":{"trade_id":"t-1","market_ticker":"KXBTCD-26FEB1217-T67749.99","yes_price_dollars":"0.36","no_price_dollars":"0.64","count_fp":"1.00","taker_side":"no","ts":1}}';
    const event =
      '{"type":"event_lifecycle","sid":5,"msg":{"event_ticker":"KXQUICK-26JAN25","title":"t","subtitle":"s","collateral_return_type":"","series_ticker":"KXQUICK"}}';
    feed(trade, 1_700_000_000_123_456);
    feed(event);
    const messages = await stored();
    assert.deepEqual(
      messages.map((m) => m.subject),
      [`${PREFIX}.json.trade.KXBTCD-26FEB1217-T67749_99`, `${PREFIX}.json.lifecycle.KXQUICK-26JAN25`],
    );
    assert.equal(text(messages[0]!), trade);
    assert.equal(messages[0]?.headers["Ssmd-Recv-Us"], "1700000000123456");
    assert.equal(messages[0]?.headers["Ssmd-Conn"], "inst-0-1");
    assert.deepEqual(lifecycle, ["event_lifecycle:KXQUICK-26JAN25"]);
  });

  it("dead-letters unknown types, frames without ticker and malformed text, and carries on", async () => {
    const { feed, stored, metrics } = await setup();
    feed('{"type":"fill","sid":3,"msg":{"trade_id":"x"}}');
    feed('{"type":"trade","sid":11,"msg":{"trade_id":"t-2"}}');
    feed('{"type":"orderbook_delta","sid":1,"seq":');
    feed("not json at all");
    feed('{"type":"ticker","sid":2,"msg":{"market_ticker":"A-1","price_dollars":"0.5"}}');
    const messages = await stored();
    const dlq = messages.filter((m) => m.subject === `${PREFIX}.status.dlq`).map((m) => JSON.parse(text(m)));
    assert.deepEqual(
      dlq.map((record) => record.reason),
      ["unknown_type", "missing_ticker", "malformed", "malformed"],
    );
    assert.equal(dlq[2].frame, '{"type":"orderbook_delta","sid":1,"seq":');
    assert.equal(messages.filter((m) => m.subject === `${PREFIX}.json.ticker.A-1`).length, 1);
    const metricText = await metrics.registry.metrics();
    assert.match(metricText, /ssmd_connector_dlq_total\{reason="malformed",feed="unit"\} 2/);
    assert.match(metricText, /ssmd_connector_errors_total\{error_type="unknown_type",feed="unit"\} 1/);
  });

  it("drops seq duplicates, reports gaps before the frame, and lets replies advance the seq", async () => {
    const { feed, stored, breaks } = await setup();
    const delta = (seq: number) =>
      `{"type":"orderbook_delta","sid":2,"seq":${seq},"msg":{"market_ticker":"M-1","price_dollars":"0.5","delta_fp":"1.00","side":"yes"}}`;
    feed(delta(1));
    feed(delta(1));
    feed('{"id":4,"sid":2,"seq":2,"type":"ok","msg":{"market_tickers":["M-1"]}}');
    feed(delta(3));
    feed(delta(6));
    const messages = await stored();
    assert.deepEqual(
      messages.map((m) => (m.subject.endsWith("status.gap") ? "gap" : JSON.parse(text(m)).seq)),
      [1, 3, "gap", 6],
    );
    assert.deepEqual(breaks, [{ sid: 2, verdict: { kind: "gap", fromSeq: 4, toSeq: 5 } }]);
    assert.equal(messages[0]?.headers["Nats-Msg-Id"], "s:inst-0-1:2:1");
  });
});

describe("connector frame handler validity", () => {
  it("dead-letters a frame whose header scans but whose body is not valid JSON", async () => {
    const { feed, stored } = await setup();
    const broken =
      '{"type":"trade","sid":11,"msg":{"trade_id":"t-9","market_ticker":"A-1",,"count_fp":"1.00"}}';
    feed(broken);
    const messages = await stored();
    assert.deepEqual(
      messages.map((m) => m.subject),
      [`${PREFIX}.status.dlq`],
    );
    assert.equal(JSON.parse(text(messages[0]!)).frame, broken);
  });

  it("accepts exactly the frames JSON.parse accepts (bytes checked without parsing)", async () => {
    const { feed, stored } = await setup();
    const body = (rest: string) => `{"type":"ticker","sid":1,"msg":{"market_ticker":"A-1"${rest}}}`;
    const frames = [
      body(',"price":41,"x":-0.5e+3,"y":[true,false,null,{}],"z":"\\u00e9\\n\\""'),
      `${body("")} \r\n`,
      body(',"name":"caf\u00e9 ✓"'),
      body(',"price":01'),
      body(',"price":1.'),
      body(',"price":tru'),
      body(',"s":"unterminated'),
      body(',"s":"bad \\x escape"'),
      body(',"s":"raw \u0001 control"'),
      body(',"a":[1,2,]'),
      `${body("")}}`,
      `${body("")} x`,
    ];
    for (const frame of frames) feed(frame);
    const dlq = (await stored())
      .filter((m) => m.subject === `${PREFIX}.status.dlq`)
      .map((m) => JSON.parse(text(m)).frame as string);
    const parses = (frame: string) => {
      try {
        JSON.parse(frame);
        return true;
      } catch {
        return false;
      }
    };
    assert.deepEqual(
      dlq,
      frames.filter((frame) => !parses(frame)),
    );
    assert.equal(dlq.length, 9);
  });
});

describe("connector metrics", () => {
  it("shows hot-path counts at scrape time, monotonically, with the feed label", async () => {
    const { feed, stored, metrics } = await setup();
    feed('{"type":"ticker","sid":2,"msg":{"market_ticker":"A-1","price_dollars":"0.5"}}');
    feed('{"type":"ticker","sid":2,"msg":{"market_ticker":"A-1","price_dollars":"0.6"}}');
    await stored();
    assert.match(
      await metrics.registry.metrics(),
      /ssmd_connector_messages_received_total\{type="ticker",feed="unit"\} 2\n/,
    );
    feed('{"type":"ticker","sid":2,"msg":{"market_ticker":"A-1","price_dollars":"0.7"}}');
    const text = await metrics.registry.metrics();
    assert.match(text, /ssmd_connector_messages_received_total\{type="ticker",feed="unit"\} 3\n/);
    assert.match(text, /ssmd_connector_connections\{feed="unit"\} 1\n/);
  });
});
