/**
 * Server side of bench/gateway-fanout.ts, in its own process:
 *   gateway  — the real gateway (createGateway) on the NATS stream
 *   baseline — a bare `ws` broadcast: the same ordered consumer, each frame's bytes sent as-is
 *              to the clients subscribed to its market (no parsing, no books, no queues)
 * Prints {"url": ...} once listening; the parent kills it when done.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { connectNatsBus } from "../src/adapters/bus/nats-bus.js";
import { silentLogger } from "../src/adapters/log.js";
import { resolveGatewayConfig } from "../src/components/gateway/config.js";
import { createGateway } from "../src/components/gateway/gateway.js";

const [mode, natsUrl, stream, prefix] = process.argv.slice(2) as [string, string, string, string];
process.on("SIGINT", () => process.exit(0));
const bus = await connectNatsBus({ url: natsUrl, name: `bench-${mode}`, logger: silentLogger });

if (mode === "gateway") {
  const config = resolveGatewayConfig({
    stream,
    prefix,
    host: "127.0.0.1",
    port: 0,
    startFrom: "new",
    ...(process.env.BENCH_FLUSH_GAP_MS ? { maxFlushGapMs: Number(process.env.BENCH_FLUSH_GAP_MS) } : {}),
    limits: {
      maxQueueMessages: 200_000,
      conflateAboveMessages: 100_000,
      maxQueueBytes: 256 * 1024 * 1024,
      maxBehindMs: 600_000,
    },
  });
  const gateway = createGateway(config, { bus, logger: silentLogger });
  await gateway.start();
  process.stdout.write(`${JSON.stringify({ url: gateway.url })}\n`);
} else {
  const subscribers = new Map<string, Set<WebSocket>>();
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws, req) => {
    const symbols = (new URL(req.url ?? "/", "http://x").searchParams.get("symbols") ?? "").split(",");
    for (const symbol of symbols) {
      if (!subscribers.has(symbol)) subscribers.set(symbol, new Set());
      subscribers.get(symbol)!.add(ws);
    }
    ws.on("close", () => {
      for (const symbol of symbols) subscribers.get(symbol)?.delete(ws);
    });
  });
  const consumer = await bus.consume({ stream, deliverFrom: { kind: "new" }, batch: 1024 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`,
  );
  const options = { binary: false };
  for await (const message of consumer) {
    const token = message.subject.slice(message.subject.lastIndexOf(".") + 1);
    const set = subscribers.get(token);
    if (!set) continue;
    const data = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
    for (const ws of set) if (ws.readyState === WebSocket.OPEN) ws.send(data, options);
  }
}
