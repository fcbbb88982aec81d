/**
 * The gateway: the environment's stream → live books and market state → WebSocket clients
 * (/v1/stream), REST (/v1/...), the dashboard (/) and /health /ready /metrics, on one port.
 * stop() drains: stop accepting, tell every client (status "shutdown", close 1001), close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { Registry } from "prom-client";
import { WebSocketServer } from "ws";
import type { Bus } from "../../adapters/bus/types.js";
import { sendJson } from "../../adapters/http/error-response.js";
import type { Logger } from "../../adapters/log.js";
import { ApiKeys } from "./auth.js";
import { BookStore } from "./book-store.js";
import { commandFromQuery } from "./client-commands.js";
import { ClientSession } from "./client-session.js";
import { CLOSE_GOING_AWAY } from "./close-codes.js";
import type { GatewayConfig } from "./config.js";
import { serveDashboard } from "./dashboard/serve.js";
import { statusEvent } from "./events.js";
import { Fanout } from "./fanout.js";
import { FeedReader } from "./feed-reader.js";
import { FeedStatus } from "./feed-status.js";
import { createGatewayMetrics, newCounters } from "./metrics.js";
import { handleRest } from "./rest-routes.js";

export interface GatewayDeps {
  bus: Bus;
  logger: Logger;
  now?: () => number;
}

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Base URL once started, e.g. http://127.0.0.1:8081 */
  readonly url: string;
  readonly port: number;
  readonly registry: Registry;
  readonly store: BookStore;
  ready(): boolean;
  /** Set when the feed reader stopped on an error; the process should exit non-zero. */
  failure(): Error | undefined;
  health(): Record<string, unknown> & { ok: boolean };
  clientCount(): number;
  /** Per-client queue sizes (tests, debugging). */
  clients(): ClientInfo[];
}

export interface ClientInfo {
  id: number;
  symbols: number;
  queuedMessages: number;
  queuedBytes: number;
}

const TICK_MS = 1000;
const DRAIN_WAIT_MS = 2000;

export function createGateway(config: GatewayConfig, deps: GatewayDeps): Gateway {
  const now = deps.now ?? Date.now;
  const logger = deps.logger;
  const counters = newCounters();
  const fanout = new Fanout(config.maxFlushGapMs);
  const store = new BookStore(config.prefix, config, fanout);
  const feed = new FeedReader(deps.bus, store, config, logger);
  const feedStatus = new FeedStatus(store, now);
  const keys = new ApiKeys(config.apiKeys);
  const sessions = new Set<ClientSession>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.limits.maxPayloadBytes,
    perMessageDeflate: false,
  });
  let server: Server | undefined;
  let timer: NodeJS.Timeout | undefined;
  let draining = false;
  let nextId = 1;
  let url = "";
  let port = 0;

  const registry = createGatewayMetrics({
    counters,
    store: store.counters,
    clients: () => sessions.size,
    subscriptions: () => fanout.counts(),
    staleBooks: () => [...store.markets.values()].filter((market) => market.state === "stale").length,
  });

  const ready = () => !draining && server !== undefined && feed.ready;
  /** Why the gateway is not ready, in words (health/ready bodies); undefined when it is. */
  const notReadyReason = (): string | undefined => {
    if (ready()) return undefined;
    if (draining) return "shutting down";
    if (feed.failure) return feed.failure.message;
    return feed.waitingFor ?? "catching up with the stream";
  };
  const health = () => {
    const reason = notReadyReason();
    return {
      ok: feed.failure === undefined,
      ready: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      clients: sessions.size,
      ...feedStatus.summary(),
      lag: feed.lag,
    };
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const requestUrl = new URL(req.url ?? "/", "http://gateway");
    const path = requestUrl.pathname;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return sendJson(res, 405, {
        error: { code: "METHOD_NOT_ALLOWED", message: `${req.method} not allowed; use GET` },
      });
    }
    if (path === "/health") return sendJson(res, feed.failure ? 503 : 200, health());
    if (path === "/ready") {
      const reason = notReadyReason();
      return sendJson(res, reason === undefined ? 200 : 503, { ready: reason === undefined, reason });
    }
    if (path === "/metrics") {
      void registry.metrics().then((text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(text);
      });
      return;
    }
    if (handleRest({ store, keys, health }, req, res, requestUrl)) return;
    if (serveDashboard(path, res)) return;
    sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no route ${path}` } });
  };

  const reject = (socket: Duplex, status: number, text: string, reason: string) => {
    counters.connectionsRejected[reason] = (counters.connectionsRejected[reason] ?? 0) + 1;
    socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const requestUrl = new URL(req.url ?? "/", "http://gateway");
    if (requestUrl.pathname !== "/v1/stream") return reject(socket, 404, "Not Found", "not_found");
    if (draining) return reject(socket, 503, "Service Unavailable", "draining");
    if (!keys.allows(req, requestUrl)) return reject(socket, 401, "Unauthorized", "unauthorized");
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ClientSession(nextId++, ws, socket, {
        store,
        fanout,
        limits: config.limits,
        counters,
        logger,
        now,
        onClosed: (closed) => sessions.delete(closed),
      });
      sessions.add(session);
      const initial = commandFromQuery(requestUrl.searchParams);
      if (initial?.ok) session.apply(initial.command);
      else if (initial) session.sendError(initial.code, initial.message);
    });
  };

  return {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    registry,
    store,
    ready,
    failure: () => feed.failure,
    health,
    clientCount: () => sessions.size,
    clients: () =>
      [...sessions].map((session) => ({
        id: session.id,
        symbols: session.symbolCount,
        queuedMessages: session.queuedMessages,
        queuedBytes: session.queuedBytes,
      })),
    async start() {
      const listening = createServer(onRequest);
      listening.on("upgrade", onUpgrade);
      await listen(listening, config.port, config.host);
      server = listening;
      // Probes answer from here on; the feed may still be waiting for its stream (not ready).
      try {
        await feed.start();
      } catch (error) {
        // Not started: free the port (an open server would also keep the process alive).
        server = undefined;
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        throw error;
      }
      port = (server.address() as AddressInfo).port;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
      url = `http://${host}:${port}`;
      timer = setInterval(
        () => {
          const nowMs = now();
          feedStatus.sample(nowMs);
          for (const session of sessions) session.tick(nowMs);
        },
        Math.min(TICK_MS, config.limits.pingIntervalMs),
      );
      logger.info("gateway listening", {
        url,
        stream: config.stream,
        prefix: config.prefix,
        auth: keys.required,
      });
    },
    async stop() {
      if (draining) return;
      draining = true;
      clearInterval(timer);
      const closed = server
        ? new Promise<void>((resolve) => server!.close(() => resolve()))
        : Promise.resolve();
      const goodbye = statusEvent({ state: "shutdown", reason: "server shutting down", tsMs: now() });
      for (const session of [...sessions])
        session.close(CLOSE_GOING_AWAY, "server shutting down", "shutdown", goodbye);
      await waitUntil(() => wss.clients.size === 0, DRAIN_WAIT_MS);
      for (const client of wss.clients) client.terminate();
      server?.closeAllConnections();
      await closed;
      await feed.stop();
      logger.info("gateway stopped");
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
