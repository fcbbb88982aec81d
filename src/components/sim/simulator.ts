/**
 * `startSimulator`: a local Kalshi exchange on one http server — WebSocket at /trade-api/ws/v2,
 * REST under /trade-api/v2, control under /_sim, probes at /health /ready /metrics — fed by a
 * deterministic world, with faults on a schedule or on demand.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sendJson } from "../../adapters/http/error-response.js";
import { silentLogger } from "../../adapters/log.js";
import type { Level } from "../../core/kalshi/types.js";
import { createUpgradeAuth, generateKeys, loadOrCreateKeys } from "./auth.js";
import { CONTROL_PREFIX, handleControl } from "./control.js";
import { FaultRunner } from "./fault-runner.js";
import { type FaultCommand, parseFaultSpec } from "./fault-spec.js";
import { Generator } from "./generator.js";
import { createSimMetrics } from "./metrics.js";
import { resolveSimOptions, type SimOptions } from "./options.js";
import { handleRest, REST_PREFIX, type RestContext } from "./rest-routes.js";
import { SimSource } from "./sim-source.js";
import { TokenBucket } from "./token-bucket.js";
import { World } from "./world.js";
import { createKalshiWsServer, WS_PATH } from "./ws-server.js";

export interface SentFrame {
  connId: number;
  text: string;
  atMs: number;
}

export interface SimStats {
  connections: number;
  framesSent: number;
  messagesGenerated: number;
  activeMarkets: number;
  trades: number;
  simTimeMs: number;
  format: string;
}

export interface Simulator {
  wsUrl: string;
  restUrl: string;
  controlUrl: string;
  apiKeyId: string;
  privateKeyPem: string;
  port: number;
  stop(): Promise<void>;
  /** With `record`: every frame written, in send order. */
  sent(): SentFrame[];
  stats(): SimStats;
  injectFault(fault: FaultCommand): void;
  /** Active market tickers, in listing order. */
  marketTickers(): string[];
  /** Produce `messages` more market-data messages now (rate 0 = fully manual, deterministic). */
  step(messages: number): void;
  /** The book as the exchange holds it (bids ascending), for checking clients' books. */
  orderbook(ticker: string): { yes: Level[]; no: Level[] } | undefined;
}

export async function startSimulator(input: SimOptions = {}): Promise<Simulator> {
  const options = resolveSimOptions(input, Date.now());
  const logger = input.logger ?? silentLogger;
  const keys = options.keysDir ? await loadOrCreateKeys(options.keysDir) : generateKeys();
  const schedule = options.faults ? parseFaultSpec(options.faults) : [];
  const world = new World({
    seed: options.seed,
    markets: options.markets,
    startTimeMs: options.startTimeMs,
    lifecycleIntervalMs: options.lifecycleIntervalMs,
    tradeHistory: 10_000,
  });
  world.populate();
  const source = new SimSource(world, options.format);
  const generator = new Generator(
    world,
    (message) => source.publish(message),
    options.rate,
    () => performance.now(),
  );
  const recorded: SentFrame[] = [];
  let framesSent = 0;
  let connections = 0;
  const metrics = createSimMetrics({
    connections: () => connections,
    framesSent: () => framesSent,
    messagesGenerated: () => generator.messages,
  });
  const restBucket = new TokenBucket(options.restRate * 2, options.restRate, Date.now());
  let rest429UntilMs = 0;

  const restContext: RestContext = {
    world,
    format: () => source.format,
    admit: () => Date.now() >= rest429UntilMs && restBucket.take(Date.now()),
    onRequest: (name, status) => metrics.rest.inc({ route: name, status: String(status) }),
  };
  const server = createServer((req, res) => void route(req, res));
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (path === "/health") return sendJson(res, 200, { ok: true, ...simulator.stats() });
      if (path === "/ready") return sendJson(res, 200, { ready: true });
      if (path === "/metrics") {
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        return res.end(await metrics.registry.metrics());
      }
      if (await handleControl(simulator, req, res)) return;
      if (handleRest(restContext, req, res)) return;
      sendJson(res, 404, { code: "not_found", message: `no route ${path}` });
    } catch (error) {
      logger.error("request failed", { path, error });
      if (!res.headersSent) sendJson(res, 500, { code: "internal", message: "internal error" });
    }
  };

  const wsServer = createKalshiWsServer({
    server,
    source,
    authMode: options.auth,
    authenticate: createUpgradeAuth(keys, () => Date.now()),
    logger,
    limits: options.limits,
    pingIntervalMs: options.pingIntervalMs,
    nowMs: () => Date.now(),
    onSent: (connId, text) => {
      framesSent++;
      if (options.record) recorded.push({ connId, text, atMs: Date.now() });
    },
    onCommand: (cmd, code) => metrics.commands.inc({ cmd, result: code === undefined ? "ok" : String(code) }),
    onConnection: (event) => {
      if (event === "open") connections++;
      else if (event === "close") connections--;
      else metrics.rejected.inc();
    },
  });

  const faults = new FaultRunner({
    ws: wsServer,
    generator,
    setFormat: (format) => {
      source.format = format;
    },
    block429For: (ms) => {
      rest429UntilMs = Date.now() + ms;
    },
    logger,
    count: (kind) => metrics.faults.inc({ kind }),
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const base = `${options.host.includes(":") ? `[${options.host}]` : options.host}:${port}`;
  generator.start();
  faults.schedule(schedule);
  logger.info("simulator listening", {
    ws: `ws://${base}${WS_PATH}`,
    markets: options.markets,
    seed: options.seed,
  });

  const simulator: Simulator = {
    wsUrl: `ws://${base}${WS_PATH}`,
    restUrl: `http://${base}${REST_PREFIX}`,
    controlUrl: `http://${base}${CONTROL_PREFIX}`,
    apiKeyId: keys.apiKeyId,
    privateKeyPem: keys.privateKeyPem,
    port,
    sent: () => recorded,
    stats: () => ({
      connections,
      framesSent,
      messagesGenerated: generator.messages,
      activeMarkets: world.activeMarkets().length,
      trades: world.tradeCount,
      simTimeMs: world.nowMs,
      format: source.format,
    }),
    injectFault: (fault) => faults.apply(fault),
    marketTickers: () => world.activeMarkets().map((market) => market.ticker),
    step: (messages) => generator.produce(messages),
    orderbook: (ticker) => {
      const market = world.markets.get(ticker);
      return market && { yes: market.book.sorted("yes"), no: market.book.sorted("no") };
    },
    stop: async () => {
      generator.stop();
      faults.stop();
      await wsServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      logger.info("simulator stopped", {});
    },
  };
  return simulator;
}
