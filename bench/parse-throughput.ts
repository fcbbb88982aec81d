/**
 * Parse throughput: msgs/s of scanFrameHeader (the connector's routing path) vs JSON.parse (the
 * baseline, measured in the same run) vs parseFrame (full normalization), plus OrderBook deltas/s.
 * Frames are a seeded, Kalshi-like mix (current wire format): 45% orderbook_delta, 35% ticker,
 * 15% trade, 4% lifecycle, 1% orderbook_snapshot. Prints one JSON object.
 * Run: node --import tsx bench/parse-throughput.ts
 */
import { parseFrame, scanFrameHeader } from "../src/core/kalshi/parse-frame.js";
import type { OrderbookDelta } from "../src/core/kalshi/types.js";
import { OrderBook } from "../src/core/orderbook.js";
import { prng } from "../test/helpers/prng.js";

const FRAMES = 20_000;
const RUN_MS = 1_200;
const ROUNDS = 3;

const random = prng(42);
const pick = (n: number) => Math.floor(random() * n);
const dollars = (units: number) => (units / 10_000).toFixed(4);
const count = (units: number) => (units / 100).toFixed(2);
const tickers = Array.from({ length: 200 }, (_, index) => `KXBTCD-26FEB1217-T${67000 + index * 250}.99`);

function frame(seq: number): string {
  const ticker = tickers[pick(tickers.length)]!;
  const ts = 1770897976000 + seq;
  const price = 100 + pick(98) * 100;
  const roll = random();
  if (roll < 0.45) {
    return `{"type":"orderbook_delta","sid":2,"seq":${seq},"msg":{"market_ticker":"${ticker}","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"${dollars(price)}","delta_fp":"${count(pick(20000) - 10000)}","side":"${random() < 0.5 ? "yes" : "no"}","ts":"2026-02-12T12:06:16Z","ts_ms":${ts}}}`;
  }
  if (roll < 0.8) {
    return `{"type":"ticker","sid":1,"msg":{"market_ticker":"${ticker}","market_id":"b33c71f7-6394-4f3c-a2ea-a0f893472bc4","price_dollars":"${dollars(price)}","yes_bid_dollars":"${dollars(price - 100)}","yes_ask_dollars":"${dollars(price + 100)}","volume_fp":"${count(pick(1e7))}","open_interest_fp":"${count(pick(1e6))}","dollar_volume":54294,"dollar_open_interest":21742,"yes_bid_size_fp":"333.00","yes_ask_size_fp":"333.00","last_trade_size_fp":"23.00","ts":${Math.floor(ts / 1000)},"ts_ms":${ts},"time":"2026-02-12T12:06:16.123Z"}}`;
  }
  if (roll < 0.95) {
    return `{"type":"trade","sid":3,"msg":{"trade_id":"a6c51dd7-efc7-786f-0ea1-${String(seq).padStart(12, "0")}","market_ticker":"${ticker}","yes_price_dollars":"${dollars(price)}","no_price_dollars":"${dollars(10_000 - price)}","count_fp":"${count(1 + pick(10000))}","taker_outcome_side":"yes","taker_book_side":"bid","is_block_trade":false,"ts":${Math.floor(ts / 1000)},"ts_ms":${ts}}}`;
  }
  if (roll < 0.99) {
    return `{"type":"market_lifecycle_v2","sid":4,"msg":{"market_ticker":"${ticker}","event_type":"determined","result":"no","determination_ts":1784501722,"settlement_value":"0.0000","additional_metadata":{"event_ticker":"KXBTCD-26FEB1217"}}}`;
  }
  const levels = Array.from(
    { length: 20 },
    (_, index) => `["${dollars(100 + index * 200)}","${count(1 + pick(50000))}"]`,
  );
  return `{"type":"orderbook_snapshot","sid":2,"seq":${seq},"msg":{"market_ticker":"${ticker}","yes_dollars_fp":[${levels.join(",")}],"no_dollars_fp":[${levels.join(",")}]}}`;
}

const frames = Array.from({ length: FRAMES }, (_, index) => frame(index + 1));
const bytes = frames.reduce((sum, text) => sum + text.length, 0);

/** msgs/s of one RUN_MS pass; `sink` defeats dead-code elimination. */
let sink = 0;
function runOnce(work: (text: string) => unknown): number {
  let done = 0;
  let elapsedMs = 0;
  const start = process.hrtime.bigint();
  while (elapsedMs < RUN_MS) {
    for (const text of frames) if (work(text) !== undefined) sink++;
    done += frames.length;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (done / elapsedMs) * 1000;
}

/** Best of ROUNDS passes, taken round-robin so machine load hits every contender alike. */
function measureAll(contenders: Record<string, (text: string) => unknown>): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, work] of Object.entries(contenders)) {
    for (const text of frames.slice(0, 2000)) work(text);
    best[name] = 0;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, work] of Object.entries(contenders)) best[name] = Math.max(best[name]!, runOnce(work));
  }
  return Object.fromEntries(Object.entries(best).map(([name, rate]) => [name, Math.round(rate)]));
}

const rates = measureAll({
  jsonParse: (text) => JSON.parse(text),
  scan: (text) => scanFrameHeader(text),
  parse: (text) => parseFrame(text),
});
const jsonParse = rates["jsonParse"]!;
const scan = rates["scan"]!;
const parse = rates["parse"]!;

const deltas: OrderbookDelta[] = [];
for (const text of frames) {
  const result = parseFrame(text);
  if (result.ok && result.message.kind === "orderbook_delta") deltas.push({ ...result.message, ticker: "B" });
}
const book = new OrderBook("B");
book.applySnapshot({
  kind: "orderbook_snapshot",
  sid: 1,
  seq: 1,
  ticker: "B",
  marketId: undefined,
  yes: [],
  no: [],
});
let applied = 0;
const bookStart = process.hrtime.bigint();
let bookMs = 0;
while (bookMs < RUN_MS) {
  for (const delta of deltas) book.applyDelta(delta);
  applied += deltas.length;
  bookMs = Number(process.hrtime.bigint() - bookStart) / 1e6;
}
const bookRate = Math.round((applied / bookMs) * 1000);

// Relative targets hold on a loaded machine; the absolute one is far below a quiet run (~14M/s).
const targets = {
  scan_vs_json_parse_speedup_min: 3,
  parse_frame_vs_json_parse_min: 0.4,
  orderbook_deltas_per_s_min: 1_000_000,
};
const speedup = Math.round((scan / jsonParse) * 100) / 100;
const parseRatio = Math.round((parse / jsonParse) * 100) / 100;
const result = {
  bench: "parse-throughput",
  frames: FRAMES,
  avg_frame_bytes: Math.round(bytes / FRAMES),
  baseline: { json_parse_msgs_per_s: jsonParse },
  figures: {
    scan_frame_header_msgs_per_s: scan,
    parse_frame_msgs_per_s: parse,
    scan_vs_json_parse_speedup: speedup,
    parse_frame_vs_json_parse: parseRatio,
    orderbook_deltas_per_s: bookRate,
  },
  targets,
  pass: {
    scan_vs_json_parse_speedup: speedup >= targets.scan_vs_json_parse_speedup_min,
    parse_frame_vs_json_parse: parseRatio >= targets.parse_frame_vs_json_parse_min,
    orderbook_deltas_per_s: bookRate >= targets.orderbook_deltas_per_s_min,
  },
  sink: sink > 0,
};
console.log(JSON.stringify(result));
