/**
 * Optional API keys: when the gateway has any, /v1/stream and the /v1 REST routes (but not
 * /v1/health) need one, as an X-API-Key header or an api_key query parameter (browsers cannot
 * set headers on a WebSocket). Compared in constant time; keys are never logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get required(): boolean {
    return this.digests.length > 0;
  }

  allows(req: IncomingMessage, url: URL): boolean {
    if (!this.required) return true;
    const header = req.headers["x-api-key"];
    const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get("api_key") ?? "";
    const wanted = digest(given);
    let ok = false;
    for (const key of this.digests) ok = timingSafeEqual(key, wanted) || ok;
    return ok;
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
