/**
 * `ssmd demo` as a component: the simulator (random free port), the connector against it and
 * the archiver writing under `dir`, all on one injected bus (in-process or NATS). stop() drains
 * in order — connector flushes its publishes, the archiver catches up with the stream, seals
 * the open file and writes the manifest — then reports what was archived.
 */
import type { Bus, StreamSpec } from "../../adapters/bus/types.js";
import { loadCredentials } from "../../adapters/kalshi/credentials.js";
import type { Logger } from "../../adapters/log.js";
import { createLocalStore } from "../../adapters/storage/local-store.js";
import { streamWildcard } from "../../core/subjects.js";
import { type Archiver, createArchiver } from "../archiver/archiver.js";
import { parseArchiverFile } from "../archiver/config.js";
import { resolveFromFile } from "../archiver/resolve-config.js";
import { type Connector, createConnector, resolveConnectorConfig } from "../connector/index.js";
import { kalshiClients } from "../connector/kalshi-clients.js";
import type { Gateway } from "../gateway/gateway.js";
import { startGatewayOnFreePortIfTaken } from "../gateway/start-gateway.js";
import { type Simulator, startSimulator } from "../sim/index.js";
import { type ChannelCounts, ChannelTap } from "./channel-tap.js";
import type { DemoConfig } from "./config.js";

export interface DemoSnapshot {
  elapsedMs: number;
  transport: Bus["kind"];
  simUrl: string;
  markets: number;
  shards: number;
  connectedShards: number;
  received: number;
  published: number;
  onBus: ChannelCounts;
  archived: number;
  filesSealed: number;
  duplicates: number;
  gaps: number;
  archiverLag: number;
  openFile: string | undefined;
  /** The gateway's dashboard, e.g. http://127.0.0.1:8081/ ("" when not started). */
  dashboardUrl: string;
}

export interface DemoSummary extends DemoSnapshot {
  archiveDir: string;
  /** Sealed archive files, relative to archiveDir. */
  files: string[];
  manifests: string[];
}

export interface DemoDeps {
  bus: Bus;
  logger: Logger;
  now?: () => number;
}

export interface Demo {
  start(): Promise<void>;
  snapshot(): DemoSnapshot;
  /** Set when the archiver failed (nothing unwritten was acknowledged); the demo should stop. */
  failure(): Error | undefined;
  stop(): Promise<DemoSummary>;
}

const CHANNELS = ["ticker", "trade", "orderbook_delta", "market_lifecycle_v2"];
const CATCH_UP_TIMEOUT_MS = 10_000;

export function createDemo(config: DemoConfig, deps: DemoDeps): Demo {
  const now = deps.now ?? Date.now;
  const { bus, logger } = deps;
  const startedAt = now();
  let sim: Simulator | undefined;
  let connector: Connector | undefined;
  let archiver: Archiver | undefined;
  let tap: ChannelTap | undefined;
  let gateway: Gateway | undefined;

  const snapshot = (): DemoSnapshot => {
    const c = connector?.stats();
    const a = archiver?.stats();
    return {
      elapsedMs: now() - startedAt,
      transport: bus.kind,
      simUrl: sim?.wsUrl ?? "",
      markets: c?.markets ?? 0,
      shards: c?.shards ?? 0,
      connectedShards: c?.connectedShards ?? 0,
      received: c?.received ?? 0,
      published: c?.published ?? 0,
      onBus: tap?.snapshot() ?? { total: 0, byChannel: {} },
      archived: a?.messages ?? 0,
      filesSealed: a?.filesSealed ?? 0,
      duplicates: a?.duplicates ?? 0,
      gaps: a?.gaps ?? 0,
      archiverLag: a?.lag ?? 0,
      openFile: a?.openFile,
      dashboardUrl: gateway ? `${gateway.url}/` : "",
    };
  };

  const waitForArchiver = async (): Promise<void> => {
    const deadline = now() + CATCH_UP_TIMEOUT_MS;
    const lastSeq = (await bus.streamInfo(config.stream))?.lastSeq ?? 0;
    while (now() < deadline && (archiver?.stats().highestSeq ?? lastSeq) < lastSeq && !archiver?.failure()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    async start() {
      sim = await startSimulator({
        port: 0,
        markets: config.markets,
        rate: config.rate,
        seed: config.seed,
        logger: logger.child("sim"),
      });
      const streamSpec: StreamSpec = {
        name: config.stream,
        subjects: [streamWildcard(config.prefix)],
        storage: "file",
        maxAgeMs: config.retentionMs,
      };
      // The tap starts right after what is already in the stream, so it counts this run only.
      const before = await bus.ensureStream(streamSpec);
      tap = await ChannelTap.open(bus, config.stream, config.prefix, before.lastSeq + 1);
      const credentials = await loadCredentials({ apiKey: sim.apiKeyId, privateKeyPem: sim.privateKeyPem });
      const connectorConfig = resolveConnectorConfig({
        feed: config.feed,
        prefix: config.prefix,
        stream: streamSpec,
        channels: CHANNELS,
      });
      const clients = kalshiClients(
        { wsUrl: sim.wsUrl, restUrl: sim.restUrl, credentials },
        logger.child("kalshi"),
      );
      connector = createConnector(connectorConfig, { bus, logger: logger.child("connector"), ...clients });
      await connector.start();
      archiver = createArchiver(archiverConfig(config), {
        bus,
        store: createLocalStore(config.dir),
        logger: logger.child("archiver"),
      });
      await archiver.start();
      gateway = await startGatewayOnFreePortIfTaken(
        { stream: config.stream, prefix: config.prefix, host: config.gatewayHost, port: config.gatewayPort },
        { bus, logger: logger.child("gateway") },
      );
    },
    snapshot,
    failure: () => archiver?.failure(),
    async stop() {
      await gateway?.stop();
      await connector?.stop();
      await waitForArchiver();
      await archiver?.stop();
      await tap?.close();
      await sim?.stop();
      const final = snapshot();
      const stored = await createLocalStore(config.dir).list(`${config.feed}/`);
      const keys = stored.map((object) => object.key);
      return {
        ...final,
        archiveDir: config.dir,
        files: keys.filter((key) => key.endsWith(".jsonl.gz")),
        manifests: keys.filter((key) => key.endsWith("manifest.json")),
      };
    },
  };
}

function archiverConfig(config: DemoConfig) {
  const file = parseArchiverFile(
    {
      nats: {
        url: "in-process",
        stream: config.stream,
        consumer: "demo-archiver",
        filter: streamWildcard(config.prefix),
      },
      storage: { path: config.dir },
      rotation: { interval: config.rotation },
      feed: config.feed,
    },
    "ssmd demo",
  );
  return resolveFromFile(file, config.dir).config;
}
