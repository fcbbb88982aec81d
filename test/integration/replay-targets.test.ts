/**
 * Replay of a real archive (sim → connector → archiver) through the CLI binary: to a real
 * JetStream under replay.{prefix} (counts, order, bytes, headers), and as a Kalshi WebSocket that
 * the real Kalshi client (KalshiWsClient) signs into, subscribes to and receives history from.
 * Run `npm run build` first.
 */
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { connectNatsBus } from "../../src/adapters/bus/nats-bus.js";
import type { Bus } from "../../src/adapters/bus/types.js";
import { loadCredentials } from "../../src/adapters/kalshi/credentials.js";
import { KalshiWsClient } from "../../src/adapters/kalshi/ws-client.js";
import { silentLogger } from "../../src/adapters/log.js";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import { buildSimArchive, type SimArchive } from "../helpers/data-sim-archive.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";

interface Line {
  rt: number;
  seq: number;
  subject: string;
  msg: { type: string; sid: number; seq?: number; msg: Record<string, unknown> };
}

async function archiveLines(archive: SimArchive): Promise<{ raw: string[]; lines: Line[] }> {
  const raw: string[] = [];
  for (const date of archive.dates) {
    const dir = join(archive.root, archive.feed, date);
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".jsonl.gz")).sort()) {
      raw.push(
        ...gunzipSync(await readFile(join(dir, name)))
          .toString("utf8")
          .trim()
          .split("\n"),
      );
    }
  }
  return { raw, lines: raw.map((line) => JSON.parse(line) as Line) };
}

/** The frame text exactly as archived (the `msg` value of the line). */
function frameText(line: string): string {
  return line.slice(line.indexOf(',"msg":') + 7, -1);
}

describe("replay targets", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let archive: SimArchive;
  let raw: string[];
  let lines: Line[];
  let date: string;

  before(async () => {
    dir = await tempDir("ssmd-replay-");
    archive = await buildSimArchive(dir.path, 1500, 5);
    ({ raw, lines } = await archiveLines(archive));
    date = archive.dates.at(-1)!;
  });
  after(() => dir.cleanup());

  describe("--to nats", () => {
    let nats: TestNatsServer;
    let bus: Bus;
    before(async () => {
      nats = await startNatsServer();
      bus = await connectNatsBus({ url: nats.url, name: "replay-test", logger: silentLogger });
    });
    after(async () => {
      await bus.close();
      await nats.cleanup();
    });

    test("every record republished under replay.{prefix}, in order, byte-identical, with rt headers", async () => {
      const result = await runSsmd(
        [
          "data",
          "replay",
          "--date",
          date,
          "--speed",
          "max",
          "--to",
          "nats",
          "--nats-url",
          nats.url,
          "--prefix",
          "rp.kalshi",
          "--stream",
          "RP_TEST",
          "--json",
        ],
        { env: { SSMD_DATA_PATH: archive.root } },
      );
      assert.equal(result.code, 0, result.stderr);
      assert.equal((JSON.parse(result.stdout) as { records: number }).records, lines.length);
      const info = await bus.streamInfo("RP_TEST");
      assert.equal(info?.messages, lines.length);
      const reader = await bus.consume({ stream: "RP_TEST", deliverFrom: { kind: "all" } });
      const decoder = new TextDecoder();
      let i = 0;
      for await (const message of reader) {
        const line = lines[i]!;
        assert.equal(message.subject, line.subject.replace(/^sim\.kalshi\./, "replay.rp.kalshi."));
        assert.equal(decoder.decode(message.data), frameText(raw[i]!));
        assert.equal(message.headers["Ssmd-Recv-Us"], String(line.rt));
        assert.equal(message.headers["Ssmd-Orig-Seq"], String(line.seq));
        if (++i === lines.length) break;
      }
      await reader.close();
      assert.equal(i, lines.length);
    });
  });

  test("--to kalshi-ws: a Kalshi client signs in, subscribes and receives the day's frames", async () => {
    const keysDir = join(dir.path, "keys");
    const child = spawnSsmd(
      [
        "data",
        "replay",
        "--date",
        date,
        "--to",
        "kalshi-ws",
        "--port",
        "0",
        "--speed",
        "max",
        "--keys-dir",
        keysDir,
        "--exit-on-end",
      ],
      { env: { SSMD_DATA_PATH: archive.root, LOG_LEVEL: "warn" } },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/KALSHI_PRIVATE_KEY_PATH=\S+/.test(stderr)) {
        if (Date.now() > deadline) throw new Error(`replay did not start: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const url = /kalshi-ws replay at (\S+)/.exec(stderr)![1]!;
      const apiKey = /KALSHI_API_KEY=(\S+)/.exec(stderr)![1]!;
      const unsigned = new KalshiWsClient({ url });
      await assert.rejects(unsigned.connect(), { code: "AUTH" });
      const credentials = await loadCredentials({ apiKey, privateKeyPath: join(keysDir, "private-key.pem") });
      const client = new KalshiWsClient({ url, credentials });
      const frames: Line["msg"][] = [];
      client.onFrame((data) => frames.push(JSON.parse(data.toString("utf8")) as Line["msg"]));
      const closed = new Promise<void>((resolve) => client.onClose(() => resolve()));
      await client.connect();
      const tickers = [
        ...new Set(lines.map((l) => l.msg.msg.market_ticker).filter((t) => typeof t === "string")),
      ];
      const subs = await client.subscribe({
        channels: ["trade", "orderbook_delta"],
        market_tickers: tickers as string[],
      });
      assert.equal(subs.length, 2);
      assert.equal(await exited, 0);
      await closed;
      const archivedTrades = lines.filter((l) => l.msg.type === "trade").map((l) => l.msg.msg);
      const gotTrades = frames.filter((f) => f.type === "trade").map((f) => f.msg);
      assert.ok(archivedTrades.length > 10);
      assert.deepEqual(gotTrades, archivedTrades);
      const archivedDeltas = lines.filter((l) => l.msg.type === "orderbook_delta").map((l) => l.msg.msg);
      const book = frames.filter((f) => f.type === "orderbook_delta" || f.type === "orderbook_snapshot");
      assert.deepEqual(
        book.filter((f) => f.type === "orderbook_delta").map((f) => f.msg),
        archivedDeltas,
      );
      const seqs = book.map((f) => f.seq);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        "orderbook seqs are continuous from 1",
      );
      await client.close();
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });
});
