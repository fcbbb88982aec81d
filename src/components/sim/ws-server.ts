/**
 * A Kalshi-compatible WebSocket endpoint on an existing http server: signed-handshake checks
 * at the upgrade (401 on failure), one KalshiWsSession per connection, `heartbeat` pings, and
 * fan-out of the source's events. Reusable with any MarketDataSource (the simulator, a replay).
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Logger } from "../../adapters/log.js";
import type { MarketDataSource } from "./source.js";
import { KalshiWsSession, type SessionFault, type SessionLimits } from "./ws-session.js";

export const WS_PATH = "/trade-api/ws/v2";

/** Decides whether an upgrade request is authenticated; see auth.ts. */
export type UpgradeAuth = (
  req: IncomingMessage,
) =>
  | { ok: true }
  | { ok: false; reason: string /** no credentials at all (vs wrong ones) */; missing?: boolean };

export interface KalshiWsServerOptions {
  server: Server;
  source: MarketDataSource;
  /** required: 401 at the upgrade unless signed; optional: unsigned connects allowed (error 9
   * later), but wrong credentials are still refused. */
  authMode: "required" | "optional";
  authenticate: UpgradeAuth;
  logger: Logger;
  limits: SessionLimits;
  pingIntervalMs: number;
  nowMs: () => number;
  path?: string;
  onSent?: (connId: number, text: string) => void;
  onCommand?: (cmd: string, errorCode: number | undefined) => void;
  onConnection?: (event: "open" | "close" | "rejected") => void;
}

export interface KalshiWsServer {
  sessions(): KalshiWsSession[];
  /** Applies a fault to every open connection. */
  fault(kind: SessionFault): void;
  /** A stall: no pings while true (the source stops data itself). */
  setStalled(stalled: boolean): void;
  /** Delays the next upgrades' completion by `ms` (slow_start fault). */
  setSlowStart(ms: number): void;
  close(): Promise<void>;
}

interface Held {
  timer: NodeJS.Timeout;
  socket: Duplex;
}

export function createKalshiWsServer(options: KalshiWsServerOptions): KalshiWsServer {
  const { server, source, logger } = options;
  const path = options.path ?? WS_PATH;
  // Commands are small: a 64 KiB cap keeps a misbehaving client from making us buffer megabytes.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const sessions = new Set<KalshiWsSession>();
  let nextConnId = 1;
  let stalled = false;
  let slowStartMs = 0;
  /** Handshakes held by a slow_start fault, released (or dropped on close) later. */
  const held = new Set<Held>();

  const rejectUpgrade = (socket: Duplex, status: string, reason: string) => {
    const body = JSON.stringify({ error: reason });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer, authenticated: boolean) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connId = nextConnId++;
      const session = new KalshiWsSession(ws, socket, {
        connId,
        authenticated,
        source,
        limits: options.limits,
        logger,
        nowMs: options.nowMs,
        onSent: options.onSent,
        onCommand: options.onCommand,
      });
      sessions.add(session);
      options.onConnection?.("open");
      logger.info("client connected", { conn: connId, authenticated });
      ws.on("close", () => {
        sessions.delete(session);
        options.onConnection?.("close");
        logger.info("client disconnected", { conn: connId });
      });
      ws.on("error", (error) => logger.warn("client socket error", { conn: connId, error }));
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const requestPath = (req.url ?? "/").split("?")[0];
    if (requestPath !== path) return rejectUpgrade(socket, "404 Not Found", "not found");
    const verdict = options.authenticate(req);
    const anonymousAllowed = options.authMode === "optional" && !verdict.ok && verdict.missing === true;
    if (!verdict.ok && !anonymousAllowed) {
      options.onConnection?.("rejected");
      logger.warn("upgrade rejected", { reason: verdict.reason });
      return rejectUpgrade(socket, "401 Unauthorized", "unauthorized");
    }
    const delay = slowStartMs;
    slowStartMs = 0;
    if (delay <= 0) return accept(req, socket, head, verdict.ok);
    const hold: Held = {
      socket,
      timer: setTimeout(() => {
        held.delete(hold);
        accept(req, socket, head, verdict.ok);
      }, delay),
    };
    held.add(hold);
  };
  server.on("upgrade", onUpgrade);

  const unsubscribe = source.onEvent((event) => {
    for (const session of sessions) {
      try {
        session.deliver(event);
      } catch (error) {
        // A bad event must not take down the feed for every other client.
        logger.error("delivery failed", { conn: session.connId, type: event.type, error });
      }
    }
  });
  const pinger = setInterval(() => {
    if (stalled) return;
    for (const session of sessions) session.ws.ping("heartbeat");
  }, options.pingIntervalMs);
  // Open connections and the listening server keep the process alive, not the ping timer: a
  // caller whose listen() fails (EADDRINUSE) must still be able to exit.
  pinger.unref();

  return {
    sessions: () => [...sessions],
    fault: (kind) => {
      for (const session of sessions) session.fault(kind);
    },
    setStalled: (value) => {
      stalled = value;
    },
    setSlowStart: (ms) => {
      slowStartMs = ms;
    },
    close: async () => {
      clearInterval(pinger);
      unsubscribe();
      server.off("upgrade", onUpgrade);
      for (const { timer, socket } of held) {
        clearTimeout(timer);
        socket.destroy();
      }
      held.clear();
      for (const session of sessions) session.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
