/**
 * `replay --to kalshi-ws`: an http server with the simulator's Kalshi WebSocket endpoint
 * (same signed handshake, commands, sids/seqs and frames), fed by the archive. Playback starts
 * when the first subscription is accepted, so a client never misses the beginning.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../adapters/log.js";
import { createUpgradeAuth, type SimKeys } from "../sim/auth.js";
import { createKalshiWsServer, type KalshiWsServer, WS_PATH } from "../sim/index.js";
import { ArchiveMarketSource } from "./archive-market-source.js";
import type { ReplaySink } from "./replay-engine.js";

export interface KalshiWsReplayConfig {
  host: string;
  port: number;
  authMode: "required" | "optional";
  pingIntervalMs: number;
}

export interface KalshiWsReplay {
  readonly url: string;
  readonly source: ArchiveMarketSource;
  /** Resolves once a client's first subscribe succeeded. */
  firstSubscription: Promise<void>;
  sink: ReplaySink;
  clients(): number;
  close(): Promise<void>;
}

export async function startKalshiWsReplay(
  config: KalshiWsReplayConfig,
  deps: { keys: SimKeys; logger: Logger; knownTickers: Iterable<string> },
): Promise<KalshiWsReplay> {
  const source = new ArchiveMarketSource(deps.knownTickers);
  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "NOT_FOUND", message: `replay serves only ${WS_PATH}` } }));
  });
  let subscribed: () => void = () => {};
  const firstSubscription = new Promise<void>((resolve) => {
    subscribed = resolve;
  });
  const ws: KalshiWsServer = createKalshiWsServer({
    server,
    source,
    authMode: config.authMode,
    authenticate: createUpgradeAuth(deps.keys, () => Date.now()),
    logger: deps.logger,
    limits: {
      maxMarketsPerSubscription: 100_000,
      commandsPerSecond: 1000,
      maxQueuedFrames: 1_000_000,
      highWaterBytes: 1 << 20,
    },
    pingIntervalMs: config.pingIntervalMs,
    nowMs: () => Date.now(),
    onCommand: (cmd, code) => {
      if (cmd === "subscribe" && code === undefined) subscribed();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://${config.host}:${port}${WS_PATH}`,
    source,
    firstSubscription,
    sink: { write: (record) => source.feed(record), close: async () => {} },
    clients: () => ws.sessions().length,
    async close() {
      await ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
