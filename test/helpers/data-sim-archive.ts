/**
 * A real archive for the data tests: the simulator's traffic through the real connector and the
 * real archiver (in-process memory bus, local store), stopped cleanly so every file is sealed and
 * every manifest written. Returns where it is and what it holds.
 */
import { join } from "node:path";
import { createMemoryBus } from "../../src/adapters/bus/memory-bus.js";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { silentLogger } from "../../src/adapters/log.js";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createArchiver } from "../../src/components/archiver/archiver.js";
import { ARCHIVER_DEFAULTS } from "../../src/components/archiver/config.js";
import { createConnector, resolveConnectorConfig } from "../../src/components/connector/index.js";
import { kalshiClients } from "../../src/components/connector/kalshi-clients.js";
import { startSimulator } from "../../src/components/sim/index.js";

export interface SimArchive {
  root: string;
  feed: string;
  prefix: string;
  dates: string[];
  records: number;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs sim → connector → archiver until `messages` market-data messages are archived. */
export async function buildSimArchive(dir: string, messages = 3000, seed = 7): Promise<SimArchive> {
  const root = join(dir, "archive");
  const prefix = "sim.kalshi";
  const stream = "SIM_KALSHI";
  const sim = await startSimulator({ seed, markets: 8, rate: 4000, logger: silentLogger });
  const bus = createMemoryBus();
  await bus.ensureStream({ name: stream, subjects: [`${prefix}.>`] });
  const archiver = createArchiver(
    {
      ...ARCHIVER_DEFAULTS,
      feed: "kalshi",
      stream,
      consumer: "archiver",
      filterSubjects: [`${prefix}.>`],
      subjectPrefix: prefix,
      workDir: root,
      rotationMs: 15 * 60_000,
      fsyncIntervalMs: 50,
      fsyncMessages: 500,
      sealGraceMs: 0,
      bucketLabel: "local",
    },
    { bus, store: createLocalStore(root), logger: silentLogger },
  );
  await archiver.start();
  const credentials = await loadCredentials({ apiKey: sim.apiKeyId, privateKeyPem: sim.privateKeyPem });
  const config = resolveConnectorConfig({
    feed: "kalshi",
    prefix,
    stream,
    channels: ["orderbook_delta", "ticker", "trade", "market_lifecycle_v2"],
    tickers: sim.marketTickers(),
  });
  const clients = kalshiClients({ wsUrl: sim.wsUrl, restUrl: sim.restUrl, credentials }, silentLogger);
  const connector = createConnector(config, { bus, logger: silentLogger, ...clients });
  await connector.start();
  try {
    await until(() => archiver.stats().messages >= messages, 30_000, `${messages} archived messages`);
  } finally {
    await connector.stop();
    await sim.stop();
  }
  const published = (await bus.streamInfo(stream))?.lastSeq ?? 0;
  await until(() => archiver.stats().messages >= published, 10_000, "the archiver to catch up");
  await archiver.stop();
  await bus.close();
  const store = createLocalStore(root);
  const dates = (await store.listPrefixes("kalshi")).sort();
  return { root, feed: "kalshi", prefix, dates, records: archiver.stats().messages };
}
