/**
 * /health, /ready and /metrics for every long-running component. Components pass functions
 * that report their state; the server never reaches into them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { sendJson } from "./error-response.js";

export interface ProbeSource {
  /** JSON body of /health; `ok: false` answers 503. */
  health(): { ok: boolean } & Record<string, unknown>;
  /** Ready to serve/take traffic. */
  ready(): boolean;
  registry: Registry;
}

export interface ProbeServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Extra routes a component may mount on the same server (e.g. the gateway's REST API). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export async function startProbeServer(
  source: ProbeSource,
  host: string,
  port: number,
  extra?: RouteHandler,
): Promise<ProbeServer> {
  const server: Server = createServer((req, res) => {
    void handle(source, req, res, extra);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://${host}:${actual}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(source: ProbeSource, req: IncomingMessage, res: ServerResponse, extra?: RouteHandler) {
  const path = (req.url ?? "/").split("?")[0];
  try {
    if (path === "/health") {
      const body = source.health();
      return sendJson(res, body.ok ? 200 : 503, body);
    }
    if (path === "/ready") {
      const ready = source.ready();
      return sendJson(res, ready ? 200 : 503, { ready });
    }
    if (path === "/metrics") {
      const text = await source.registry.metrics();
      res.writeHead(200, { "content-type": source.registry.contentType });
      return res.end(text);
    }
    if (extra && (await extra(req, res))) return;
    sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no route ${path}` } });
  } catch {
    if (!res.headersSent) sendJson(res, 500, { error: { code: "INTERNAL", message: "internal error" } });
  }
}

/** "host:port", ":port" or "port" → [host, port]; host defaults to 0.0.0.0. */
export function parseListenAddress(text: string): { host: string; port: number } {
  const index = text.lastIndexOf(":");
  const host = index > 0 ? text.slice(0, index) : "0.0.0.0";
  const port = Number(index >= 0 ? text.slice(index + 1) : text);
  return { host, port: Number.isInteger(port) && port >= 0 && port < 65536 ? port : Number.NaN };
}
