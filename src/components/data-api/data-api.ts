/**
 * The data API component (`ssmd data serve`): node:http, every route of the contract plus
 * /openapi.json and /metrics. Config is a plain validated object; the store and logger are
 * injected. `extraRoutes` is the mount point for routes owned elsewhere (e.g. /v1/markets).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorToHttp, sendError, sendJson } from "../../adapters/http/error-response.js";
import type { Logger } from "../../adapters/log.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import { isSsmdError, NotFoundError } from "../../core/errors.js";
import type { GitEnv } from "../../metadata/git.js";
import { createKeyCheck } from "./api-auth.js";
import { type ApiMetrics, createApiMetrics } from "./api-metrics.js";
import { DatasetCatalog } from "./dataset-catalog.js";
import { parseRequestUrl, type Route, Router } from "./http-router.js";
import { openApiDocument } from "./openapi.js";
import { datasetRoutes } from "./routes-datasets.js";
import { metaRoutes } from "./routes-meta.js";
import { streamRoute } from "./stream-route.js";

export interface DataApiConfig {
  host: string;
  port: number;
  apiKey: string;
  exchangesDir: string;
  gitEnv: GitEnv;
  version: string;
}

export interface DataApiDeps {
  store: ObjectStore;
  logger: Logger;
  extraRoutes?: Route[];
}

export interface DataApi {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly port: number;
  readonly url: string;
  readonly metrics: ApiMetrics;
}

export function createDataApi(config: DataApiConfig, deps: DataApiDeps): DataApi {
  const metrics = createApiMetrics();
  const catalog = new DatasetCatalog(deps.store);
  const router = new Router();
  for (const route of [
    ...datasetRoutes(catalog),
    streamRoute(catalog, metrics),
    ...metaRoutes({ exchangesDir: config.exchangesDir, gitEnv: config.gitEnv }, catalog),
    ...(deps.extraRoutes ?? []),
  ]) {
    router.add(route);
  }
  const openapi = openApiDocument(
    config.version,
    (deps.extraRoutes ?? []).map((route) => route.pattern),
  );
  router.add({ pattern: "/openapi.json", auth: true, handle: () => openapi });
  const checkKey = createKeyCheck(config.apiKey);
  const server: Server = createServer((req, res) => void handle(req, res));
  let port = config.port;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let label = "unmatched";
    try {
      const { path, segments, query } = parseRequestUrl(req.url ?? "/");
      if (path === "/health") {
        label = "/health";
        return sendJson(res, 200, { ok: true, store: deps.store.kind });
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.setHeader("allow", "GET");
        return sendJson(res, 405, {
          error: { code: "METHOD_NOT_ALLOWED", message: "only GET is supported" },
        });
      }
      if (path === "/metrics") {
        label = "/metrics";
        checkKey(req);
        res.writeHead(200, { "content-type": metrics.registry.contentType });
        return void res.end(await metrics.registry.metrics());
      }
      const match = router.match(segments);
      if (match) label = match.route.pattern;
      if (match?.route.auth !== false) checkKey(req);
      if (!match) throw new NotFoundError("route", path, router.patterns());
      const body = await match.route.handle({ req, res, params: match.params, query });
      if (!match.route.streams) sendJson(res, 200, body);
    } catch (error) {
      failed(res, error);
    } finally {
      metrics.requests.inc({ route: label, status: String(res.statusCode) });
      metrics.duration.observe({ route: label }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  function failed(res: ServerResponse, error: unknown): void {
    const { status, body } = errorToHttp(error);
    metrics.errors.inc({ code: body.error.code });
    if (!isSsmdError(error)) deps.logger.error("request failed", { error });
    if (res.headersSent) return void res.destroy();
    res.statusCode = status;
    sendError(res, error);
  }

  return {
    metrics,
    get port() {
      return port;
    },
    get url() {
      return `http://${config.host}:${port}`;
    },
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      deps.logger.info("data api listening", {
        url: `http://${config.host}:${port}`,
        store: deps.store.location,
      });
    },
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
    },
  };
}
