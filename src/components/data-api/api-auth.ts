/** X-API-Key check in constant time (hash both sides so lengths never leak through timing). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { AuthError } from "../../core/errors.js";

export function createKeyCheck(apiKey: string): (req: IncomingMessage) => void {
  const expected = createHash("sha256").update(apiKey).digest();
  return (req) => {
    const header = req.headers["x-api-key"];
    const given = Array.isArray(header) ? header[0] : header;
    const digest = createHash("sha256")
      .update(given ?? "")
      .digest();
    if (given === undefined || !timingSafeEqual(digest, expected)) {
      throw new AuthError(given === undefined ? "missing X-API-Key header" : "invalid X-API-Key");
    }
  };
}
