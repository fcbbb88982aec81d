/** Serves the dashboard's three files from memory (they are compiled in; no files at runtime). */
import type { ServerResponse } from "node:http";
import { PAGE_HTML } from "./page-html.js";
import { PAGE_JS } from "./page-script.js";
import { PAGE_CSS } from "./page-style.js";

const ASSETS: Record<string, { type: string; body: Buffer }> = {
  "/": { type: "text/html; charset=utf-8", body: Buffer.from(PAGE_HTML) },
  "/index.html": { type: "text/html; charset=utf-8", body: Buffer.from(PAGE_HTML) },
  "/dashboard.js": { type: "text/javascript; charset=utf-8", body: Buffer.from(PAGE_JS) },
  "/dashboard.css": { type: "text/css; charset=utf-8", body: Buffer.from(PAGE_CSS) },
};

export function serveDashboard(path: string, res: ServerResponse): boolean {
  const asset = ASSETS[path];
  if (!asset) return false;
  res.writeHead(200, {
    "content-type": asset.type,
    "content-length": asset.body.length,
    "cache-control": "no-cache",
  });
  res.end(asset.body);
  return true;
}
