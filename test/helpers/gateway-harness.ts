/**
 * Test helpers for the gateway: Kalshi frames in the current wire format (dollar strings,
 * fixed-point counts), publishing them as the connector does (headers included), a gateway on
 * 127.0.0.1:0 (alone, or with an in-process bus and a publisher: MemoryGateway), and a WebSocket
 * client that records every event.
 */
import WebSocket from "ws";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { silentLogger } from "../../src/adapters/log.js";
import { type GatewayConfigInput, resolveGatewayConfig } from "../../src/components/gateway/config.js";
import { createGateway, type Gateway } from "../../src/components/gateway/gateway.js";
import { HEADER_CONN, HEADER_RECV_US } from "../../src/core/record.js";
import { dataSubject, type SubjectChannel, statusSubject } from "../../src/core/subjects.js";

export type LevelText = [string, string];
const encoder = new TextEncoder();

export function snapshotFrame(ticker: string, yes: LevelText[], no: LevelText[], seq = 1): string {
  return JSON.stringify({
    type: "orderbook_snapshot",
    sid: 1,
    seq,
    msg: { market_ticker: ticker, market_id: `id-${ticker}`, yes_dollars_fp: yes, no_dollars_fp: no },
  });
}

export function deltaFrame(
  ticker: string,
  side: "yes" | "no",
  price: string,
  delta: string,
  seq: number,
): string {
  return JSON.stringify({
    type: "orderbook_delta",
    sid: 1,
    seq,
    msg: {
      market_ticker: ticker,
      market_id: `id-${ticker}`,
      price_dollars: price,
      delta_fp: delta,
      side,
      ts_ms: 1_700_000_000_000 + seq,
    },
  });
}

export function tradeFrame(
  ticker: string,
  id: string,
  yesPrice: string,
  count: string,
  side: "yes" | "no",
): string {
  const no = (1 - Number(yesPrice)).toFixed(4);
  return JSON.stringify({
    type: "trade",
    sid: 2,
    msg: {
      trade_id: id,
      market_ticker: ticker,
      yes_price_dollars: yesPrice,
      no_price_dollars: no,
      count_fp: count,
      taker_side: side,
      ts_ms: 1_700_000_000_000,
    },
  });
}

export function tickerFrame(ticker: string, price: string, bid: string, ask: string, volume: string): string {
  return JSON.stringify({
    type: "ticker",
    sid: 3,
    msg: {
      market_ticker: ticker,
      price_dollars: price,
      yes_bid_dollars: bid,
      yes_ask_dollars: ask,
      volume_fp: volume,
      ts_ms: 1_700_000_000_000,
    },
  });
}

export function gapRecord(
  kind: "ssmd_gap" | "ssmd_disconnect",
  tickers: string[],
  conn: string,
  reason = "seq_gap",
  sid = 1,
): string {
  return JSON.stringify({
    type: kind,
    reason,
    feed: "kalshi",
    conn,
    sid: kind === "ssmd_gap" ? sid : null,
    from_seq: null,
    to_seq: null,
    tickers,
    started_at: new Date().toISOString(),
    ended_at: new Date().toISOString(),
  });
}

export class Publisher {
  constructor(
    private readonly bus: Bus,
    readonly prefix: string,
    private readonly conn = "c-0-1",
  ) {}

  data(channel: SubjectChannel, ticker: string, frame: string, conn = this.conn): Promise<unknown> {
    return this.send(dataSubject(this.prefix, channel, ticker), frame, conn);
  }

  status(kind: "gap" | "disconnect", record: string): Promise<unknown> {
    return this.send(statusSubject(this.prefix, kind), record, this.conn);
  }

  send(subject: string, frame: string, conn = this.conn): Promise<unknown> {
    const headers = { [HEADER_RECV_US]: String(Date.now() * 1000), [HEADER_CONN]: conn };
    return this.bus.publish(subject, encoder.encode(frame), { headers });
  }
}

export async function startGateway(
  bus: Bus,
  stream: string,
  prefix: string,
  overrides: Partial<GatewayConfigInput> = {},
): Promise<Gateway> {
  if (!(await bus.streamInfo(stream)))
    await bus.ensureStream({ name: stream, subjects: [`${prefix}.>`], storage: "memory" });
  const config = resolveGatewayConfig({ stream, prefix, host: "127.0.0.1", port: 0, ...overrides });
  const gateway = createGateway(config, { bus, logger: silentLogger });
  await gateway.start();
  return gateway;
}

/**
 * A gateway on its own in-process bus, reading stream `stream` (subjects under
 * `<stream in lower case>.kalshi`), with a publisher for that stream.
 */
export class MemoryGateway {
  private constructor(
    readonly bus: Bus,
    readonly publisher: Publisher,
    readonly gateway: Gateway,
  ) {}

  static async start(stream: string, overrides: Partial<GatewayConfigInput> = {}): Promise<MemoryGateway> {
    const bus = createMemoryBus();
    const prefix = `${stream.toLowerCase()}.kalshi`;
    const gateway = await startGateway(bus, stream, prefix, overrides);
    return new MemoryGateway(bus, new Publisher(bus, prefix), gateway);
  }

  /** Publishes each [channel, ticker, frame] and waits until the gateway knows every ticker. */
  async seed(frames: [SubjectChannel, string, string][]): Promise<void> {
    for (const [channel, ticker, frame] of frames) await this.publisher.data(channel, ticker, frame);
    const { markets } = this.gateway.store;
    await waitUntil(() => frames.every(([, ticker]) => markets.has(ticker)), "seeded markets");
  }

  /** A WebSocket client on the stream endpoint; `query` as in "?symbols=A,B&channels=trade". */
  client(query = "", options?: WebSocket.ClientOptions): Promise<TestClient> {
    return TestClient.open(`${wsUrl(this.gateway)}${query}`, options);
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    await this.bus.close();
  }
}

export type GatewayEvent = Record<string, unknown> & { type: string };

/** A WebSocket client that keeps every event it receives. */
export class TestClient {
  readonly events: GatewayEvent[] = [];
  closeCode: number | undefined;
  closeReason = "";
  readonly closed: Promise<void>;

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => this.events.push(JSON.parse(String(data)) as GatewayEvent));
    this.closed = new Promise((resolve) =>
      ws.on("close", (code, reason) => {
        this.closeCode = code;
        this.closeReason = String(reason);
        resolve();
      }),
    );
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const ws = new WebSocket(url, options);
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  send(value: unknown): void {
    this.ws.send(typeof value === "string" ? value : JSON.stringify(value));
  }

  of(type: string, ticker?: string): GatewayEvent[] {
    return this.events.filter(
      (event) => event.type === type && (ticker === undefined || event.ticker === ticker),
    );
  }

  async waitFor(
    predicate: (events: GatewayEvent[]) => boolean,
    what: string,
    timeoutMs = 5000,
  ): Promise<void> {
    await waitUntil(() => predicate(this.events), what, timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}

export async function waitUntil(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function wsUrl(gateway: Gateway, path = "/v1/stream"): string {
  return `${gateway.url.replace("http", "ws")}${path}`;
}
