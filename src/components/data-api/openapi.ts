/** The OpenAPI 3.1 document served at /openapi.json. */
interface ParamDoc {
  name: string;
  in: "path" | "query";
  description: string;
}

const p = (name: string, description: string): ParamDoc => ({ name, in: "path", description });
const q = (name: string, description: string): ParamDoc => ({ name, in: "query", description });
const FEED = p("feed", "feed name, e.g. kalshi");
const DATE = p("date", "UTC day, YYYY-MM-DD");
const FILTERS = [
  q("ticker", "Kalshi ticker(s), comma-separated ('.' or '_')"),
  q(
    "type",
    "channel (trade|ticker|orderbook|lifecycle) or message type (orderbook_delta...), comma-separated",
  ),
  q("from", "start time: HH:MM, ISO timestamp or Unix s/ms/µs"),
  q("to", "end time (exclusive)"),
];

const ROUTES: [string, string, ParamDoc[], string?][] = [
  ["/health", "liveness; no API key needed", []],
  ["/datasets", "archived days per feed", [q("feed", "feed"), q("from", "first day"), q("to", "last day")]],
  [
    "/datasets/{feed}/{date}/sample",
    "first records of a day",
    [FEED, DATE, ...FILTERS, q("limit", "1..1000, default 10")],
  ],
  ["/datasets/{feed}/{date}/tickers", "tickers of a day with counts per channel", [FEED, DATE]],
  [
    "/datasets/{feed}/{date}/stream",
    "the day as NDJSON archive lines, with backpressure",
    [FEED, DATE, ...FILTERS],
    "application/x-ndjson",
  ],
  [
    "/schema/{feed}/{type}",
    "fields of a message type and its normalized columns",
    [FEED, p("type", "message type")],
  ],
  ["/builders", "derived datasets and the commands that build them", []],
  ["/v1/meta/feeds", "feeds from the GitOps metadata", []],
  ["/v1/meta/feeds/{name}", "one feed", [p("name", "feed")]],
  ["/v1/meta/schemas", "schemas", []],
  ["/v1/meta/schemas/{name}/{version}", "one schema version", [p("name", "schema"), p("version", "version")]],
  ["/v1/meta/environments", "environments", []],
  ["/v1/meta/environments/{name}/history", "git history of an environment file", [p("name", "environment")]],
  [
    "/v1/meta/inventory",
    "inventory of archived days",
    [q("feed", "feed"), q("from", "day"), q("to", "day"), q("status", "open|complete|partial")],
  ],
  ["/v1/meta/inventory/{feed}/{date}", "one day with its manifest", [FEED, DATE]],
  ["/v1/meta/gaps/{feed}", "gaps recorded in manifests", [FEED, q("from", "day"), q("to", "day")]],
  ["/metrics", "Prometheus metrics", [], "text/plain"],
];

export function openApiDocument(version: string, extraPaths: string[] = []): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [path, summary, parameters, mediaType] of ROUTES) {
    const open = path === "/health"; // the only route served without X-API-Key
    paths[path] = {
      get: {
        summary,
        parameters: parameters.map((param) => ({
          ...param,
          required: param.in === "path",
          schema: { type: "string" },
        })),
        ...(open ? { security: [] } : {}),
        responses: {
          "200": { description: "OK", content: { [mediaType ?? "application/json"]: {} } },
          "400": { $ref: "#/components/responses/Error" },
          "401": { $ref: "#/components/responses/Error" },
          "404": { $ref: "#/components/responses/Error" },
        },
      },
    };
  }
  for (const path of extraPaths)
    paths[path] ??= { get: { summary: "mounted route", responses: { "200": { description: "OK" } } } };
  return {
    openapi: "3.1.0",
    info: { title: "ssmd data API", version },
    security: [{ apiKey: [] }],
    components: {
      securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
      responses: {
        Error: {
          description: 'error: {"error":{"code","message"}}',
          content: {
            "application/json": { schema: { type: "object", properties: { error: { type: "object" } } } },
          },
        },
      },
    },
    paths,
  };
}
