/**
 * The real pipeline for gateway tests: simulator (free port) → connector → in-process bus →
 * gateway on 127.0.0.1:0, wired like `ssmd demo`.
 */
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createConnector, resolveConnectorConfig } from "../../src/components/connector/index.js";
import { kalshiClients } from "../../src/components/connector/kalshi-clients.js";
import { resolveGatewayConfig } from "../../src/components/gateway/config.js";
import { createGateway, type Gateway } from "../../src/components/gateway/gateway.js";
import { startSimulator } from "../../src/components/sim/index.js";

export interface Pipeline {
  gateway: Gateway;
  bus: Bus;
  prefix: string;
  stop(): Promise<void>;
}

export async function startPipeline(options: {
  markets: number;
  rate: number;
  seed?: number;
}): Promise<Pipeline> {
  const bus = createMemoryBus();
  const prefix = "pipe.kalshi";
  const stream = { name: "PIPE", subjects: [`${prefix}.>`], storage: "memory" as const };
  const sim = await startSimulator({
    port: 0,
    markets: options.markets,
    rate: options.rate,
    seed: options.seed ?? 3,
    logger: silentLogger,
  });
  await bus.ensureStream(stream);
  const credentials = await loadCredentials({ apiKey: sim.apiKeyId, privateKeyPem: sim.privateKeyPem });
  const connector = createConnector(
    resolveConnectorConfig({
      feed: "kalshi",
      prefix,
      stream,
      channels: ["ticker", "trade", "orderbook_delta", "market_lifecycle_v2"],
    }),
    {
      bus,
      logger: silentLogger,
      ...kalshiClients({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, credentials }, silentLogger),
    },
  );
  await connector.start();
  const gateway = createGateway(
    resolveGatewayConfig({ stream: stream.name, prefix, host: "127.0.0.1", port: 0 }),
    {
      bus,
      logger: silentLogger,
    },
  );
  await gateway.start();
  return {
    gateway,
    bus,
    prefix,
    async stop() {
      await gateway.stop();
      await connector.stop();
      await sim.stop();
      await bus.close();
    },
  };
}
