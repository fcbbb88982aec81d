/**
 * KalshiWsClient against a scripted Kalshi-shaped WebSocket server on 127.0.0.1: the server
 * verifies the signed upgrade and answers each command the way PROTOCOL.md §2 describes, so
 * the client's id matching, reply fan-out, timeouts, pings and close handling run over real sockets.
 * (The same client against the full simulator: kalshi-client-sim.test.ts.)
 */
import assert from "node:assert/strict";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { type WebSocket, WebSocketServer } from "ws";
import { KalshiCommandError } from "../../src/adapters/kalshi/errors.js";
import { KalshiWsClient, type KalshiWsClientOptions } from "../../src/adapters/kalshi/ws-client.js";
import {
  AuthError,
  ConflictError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from "../../src/core/errors.js";
import { verifySignature } from "../../src/core/kalshi/sign.js";
import type { KalshiMessage } from "../../src/core/kalshi/types.js";
import { freePort } from "../helpers/ports.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const publicKey = createPublicKey(privateKey);
const credentials = { keyId: "key-ws-1", privateKey };

interface Command {
  id: number;
  cmd: string;
  params?: Record<string, unknown>;
}

function authorized(req: IncomingMessage): boolean {
  const header = (name: string) => String(req.headers[name] ?? "");
  if (header("kalshi-access-key") !== credentials.keyId) return false;
  const path = new URL(req.url ?? "/", "http://x").pathname;
  return verifySignature(
    publicKey,
    header("kalshi-access-timestamp"),
    "GET",
    path,
    header("kalshi-access-signature"),
  );
}

/** The frames Kalshi would answer with; `silent` commands get none (for timeouts). */
function answer(command: Command, state: { sid: number; silent: Set<string> }): unknown[] {
  const { id, params = {} } = command;
  const error = (code: number, msg: string, extra: object = {}) => [
    { id, type: "error", msg: { code, msg, ...extra } },
  ];
  if (state.silent.has(command.cmd)) return [];
  if (command.cmd === "subscribe") {
    const channels = params["channels"] as string[] | undefined;
    if (!channels?.length) return error(3, "Channels required");
    if (channels.includes("orderbook_delta") && params["market_tickers"] === undefined) {
      return error(14, "Market Ticker required");
    }
    const tickers = (params["market_tickers"] as string[] | undefined) ?? [];
    if (tickers.includes("NOPE")) return error(16, "Market not found", { market_ticker: "NOPE" });
    return channels.flatMap((channel) => {
      const sid = ++state.sid;
      const data = { type: "trade", sid, msg: { trade_id: `t${sid}`, market_ticker: tickers[0] ?? "ANY" } };
      return [{ id, type: "subscribed", msg: { channel, sid } }, data];
    });
  }
  if (command.cmd === "unsubscribe") {
    return (params["sids"] as number[]).map((sid) => ({ id, sid, seq: 7, type: "unsubscribed" }));
  }
  if (command.cmd === "update_subscription") {
    if (params["sid"] === 999) return error(7, "Unknown subscription ID");
    return [{ id, sid: params["sid"], seq: 222, type: "ok", msg: { market_tickers: ["A", "B", "C"] } }];
  }
  if (command.cmd === "list_subscriptions" && state.silent.has("malformed")) return ['{"type":"ok","id":'];
  if (command.cmd === "list_subscriptions") return [{ id, type: "ok", msg: [{ channel: "trade", sid: 1 }] }];
  return error(5, "Unknown command");
}

describe("KalshiWsClient against a scripted server", () => {
  let server: WebSocketServer;
  let url: string;
  let sockets: WebSocket[] = [];
  let commands: Command[] = [];
  let upgrades: IncomingMessage[] = [];
  let pongs = 0;
  const state = { sid: 0, silent: new Set<string>() };
  const clients: KalshiWsClient[] = [];

  before(async () => {
    server = new WebSocketServer({
      host: "127.0.0.1",
      port: 0,
      verifyClient: (info, done) => {
        upgrades.push(info.req);
        if (authorized(info.req)) done(true);
        else done(false, 401, "Unauthorized");
      },
    });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/trade-api/ws/v2`;
    server.on("connection", (socket) => {
      sockets.push(socket);
      socket.on("pong", () => pongs++);
      socket.on("message", (data: Buffer) => {
        const command = JSON.parse(data.toString()) as Command;
        commands.push(command);
        for (const frame of answer(command, state)) {
          socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
        }
      });
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    for (const socket of server.clients) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    sockets = [];
    commands = [];
    upgrades = [];
    pongs = 0;
    state.silent.clear();
  });

  const client = (extra: Partial<KalshiWsClientOptions> = {}) => {
    const c = new KalshiWsClient({ url, credentials, commandTimeoutMs: 2000, ...extra });
    clients.push(c);
    return c;
  };

  it("refuses bad or missing signatures with AuthError (HTTP 401)", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    await assert.rejects(
      client({ credentials: { keyId: "key-ws-1", privateKey: other } }).connect(),
      AuthError,
    );
    await assert.rejects(client({ credentials: undefined }).connect(), (error: unknown) => {
      assert.ok(error instanceof AuthError);
      assert.match(error.message, /401/);
      return true;
    });
    const port = await freePort();
    await assert.rejects(
      client({ url: `ws://127.0.0.1:${port}/trade-api/ws/v2` }).connect(),
      UnavailableError,
    );
  });

  it("signs each connect with a fresh timestamp and restarts ids and connectionId", async () => {
    let clock = 1_700_000_000_000;
    const c = client({ now: () => clock });
    await c.connect();
    const first = c.connectionId;
    await c.subscribe({ channels: ["trade"] });
    await c.subscribe({ channels: ["ticker"] });
    clock += 5000;
    await c.connect();
    await c.subscribe({ channels: ["trade"] });
    assert.deepEqual(
      commands.map((cmd) => cmd.id),
      [1, 2, 1],
    );
    assert.deepEqual(
      upgrades.map((req) => req.headers["kalshi-access-timestamp"]),
      ["1700000000000", "1700000005000"],
    );
    assert.notEqual(c.connectionId, first);
    await c.close();
  });

  it("subscribes, routes data frames to onFrame and replies to onReply", async () => {
    const c = client();
    const frames: { text: string; receivedUs: number }[] = [];
    const replies: KalshiMessage[] = [];
    c.onFrame((data, receivedUs) => frames.push({ text: data.toString(), receivedUs }));
    c.onReply((message) => replies.push(message));
    await c.connect();
    const before = Date.now() * 1000;
    const refs = await c.subscribe({
      channels: ["trade", "ticker"],
      market_tickers: ["KXA-1.5"],
      use_yes_price: true,
    });
    assert.deepEqual(
      refs.map((r) => r.channel),
      ["trade", "ticker"],
    );
    assert.equal(refs[1]!.sid, refs[0]!.sid + 1);
    assert.deepEqual(commands[0], {
      id: 1,
      cmd: "subscribe",
      params: { channels: ["trade", "ticker"], market_tickers: ["KXA-1.5"], use_yes_price: true },
    });
    await waitFor(() => frames.length === 2);
    assert.ok(frames.every((f) => JSON.parse(f.text).type === "trade"));
    assert.ok(frames.every((f) => f.receivedUs >= before - 1000 && f.receivedUs <= Date.now() * 1000 + 1000));
    assert.deepEqual(
      replies.map((r) => r.kind),
      ["subscribed", "subscribed"],
    );
    assert.ok(c.lastActivityMs > 0);
    await c.close();
  });

  it("unsubscribe, update_subscription and list_subscriptions; seq-carrying acks keep sid/seq", async () => {
    const c = client();
    const replies: KalshiMessage[] = [];
    c.onReply((message) => replies.push(message));
    await c.connect();
    await c.unsubscribe([3, 4]);
    const tickers = await c.updateSubscription({ sid: 4, action: "add_markets", market_tickers: ["C"] });
    assert.deepEqual(tickers, ["A", "B", "C"]);
    assert.deepEqual(await c.listSubscriptions(), [{ channel: "trade", sid: 1 }]);
    assert.deepEqual(commands[1], {
      id: 2,
      cmd: "update_subscription",
      params: { sid: 4, action: "add_markets", market_tickers: ["C"] },
    });
    assert.deepEqual(commands[2], { id: 3, cmd: "list_subscriptions" });
    const acks = replies.filter((r) => r.kind === "unsubscribed" || (r.kind === "ok" && r.sid !== undefined));
    assert.deepEqual(
      acks.map((r) => [r.kind, r.sid, r.seq]),
      [
        ["unsubscribed", 3, 7],
        ["unsubscribed", 4, 7],
        ["ok", 4, 222],
      ],
    );
    await c.close();
  });

  it("turns error replies into KalshiCommandError with Kalshi's code and market", async () => {
    const c = client();
    await c.connect();
    const expectCode = (code: number, ticker?: string) => (error: unknown) => {
      assert.ok(error instanceof KalshiCommandError);
      assert.equal(error.kalshiCode, code);
      assert.equal(error.marketTicker, ticker);
      return true;
    };
    await assert.rejects(c.subscribe({ channels: [] }), expectCode(3));
    await assert.rejects(c.subscribe({ channels: ["orderbook_delta"] }), expectCode(14));
    await assert.rejects(
      c.subscribe({ channels: ["trade"], market_tickers: ["NOPE"] }),
      expectCode(16, "NOPE"),
    );
    await assert.rejects(
      c.updateSubscription({ sid: 999, action: "get_snapshot", market_tickers: [] }),
      expectCode(7),
    );
    assert.deepEqual((await c.subscribe({ channels: ["trade"] })).length, 1, "still usable after errors");
    await c.close();
  });

  it("hands a malformed reply to onFrame instead of dropping it", async () => {
    const c = client({ commandTimeoutMs: 200 });
    const frames: string[] = [];
    c.onFrame((data) => frames.push(data.toString()));
    await c.connect();
    state.silent.add("malformed");
    await assert.rejects(c.listSubscriptions(), TimeoutError);
    assert.deepEqual(frames, ['{"type":"ok","id":']);
    await c.close();
  });

  it("survives throwing listeners, rejects bad URLs and overlapping connects", async () => {
    assert.throws(() => new KalshiWsClient({ url: "http://127.0.0.1/x" }), ValidationError);
    assert.throws(() => new KalshiWsClient({ url: "not a url" }), ValidationError);
    const c = client();
    const frames: string[] = [];
    c.onFrame(() => {
      throw new Error("consumer bug");
    });
    c.onFrame((data) => frames.push(data.toString()));
    c.onReply(() => {
      throw new Error("consumer bug");
    });
    const first = c.connect();
    await assert.rejects(c.connect(), ConflictError);
    await first;
    await c.subscribe({ channels: ["trade"] });
    await waitFor(() => frames.length === 1);
    assert.equal(c.listenerErrors, 2, "one onFrame and one onReply call threw");
    assert.equal(c.isOpen, true);
    await c.close();
  });

  it("answers server pings and counts them as activity", async () => {
    let clock = 1000;
    const c = client({ now: () => clock });
    await c.connect();
    assert.equal(c.lastActivityMs, 1000);
    clock = 5000;
    sockets[0]!.ping("heartbeat");
    await waitFor(() => pongs === 1);
    assert.equal(c.lastActivityMs, 5000);
    await c.close();
  });

  it("times out unanswered commands and fails pending ones when the socket closes", async () => {
    const c = client({ commandTimeoutMs: 150 });
    const closes: number[] = [];
    c.onClose((code) => closes.push(code));
    await c.connect();
    state.silent.add("list_subscriptions");
    await assert.rejects(c.listSubscriptions(), TimeoutError);
    const pending = c.listSubscriptions();
    sockets[0]!.close(4000, "bye");
    await assert.rejects(pending, UnavailableError);
    await waitFor(() => closes.length === 1);
    assert.deepEqual(closes, [4000]);
    assert.equal(c.isOpen, false);
    await assert.rejects(c.listSubscriptions(), UnavailableError);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
