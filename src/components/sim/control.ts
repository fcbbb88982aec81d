/**
 * The simulator's control endpoint under /_sim: inject faults on demand, advance the world by
 * hand (deterministic tests), read stats. JSON in, JSON out; bad input → 400 with a typed error.
 *   POST /_sim/faults {"kind":"stall","duration":"5s"} | {"kind":"format_switch","format":"current"}
 *   POST /_sim/step   {"messages":500}
 *   GET  /_sim/stats
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorToHttp, sendJson } from "../../adapters/http/error-response.js";
import { ValidationError } from "../../core/errors.js";
import { type FaultCommand, toFault } from "./fault-spec.js";

export const CONTROL_PREFIX = "/_sim";
const MAX_BODY = 64 * 1024;

export interface ControlTarget {
  injectFault(fault: FaultCommand): void;
  step(messages: number): void;
  stats(): object;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      text += chunk;
      if (text.length > MAX_BODY) reject(new ValidationError("request body too large"));
    });
    req.on("end", () => {
      try {
        resolve(text === "" ? {} : JSON.parse(text));
      } catch {
        reject(new ValidationError("request body is not JSON"));
      }
    });
    req.on("error", reject);
  });
}

function field(body: unknown, key: string): unknown {
  return typeof body === "object" && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

export async function handleControl(
  target: ControlTarget,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (!path.startsWith(`${CONTROL_PREFIX}/`)) return false;
  try {
    const route = `${req.method} ${path.slice(CONTROL_PREFIX.length)}`;
    if (route === "GET /stats") {
      sendJson(res, 200, target.stats());
      return true;
    }
    if (route === "POST /faults") {
      const body = await readBody(req);
      const fault = toFault(field(body, "kind"), field(body, "duration") ?? field(body, "format"));
      target.injectFault(fault);
      sendJson(res, 200, { ok: true, fault });
      return true;
    }
    if (route === "POST /step") {
      const messages = field(await readBody(req), "messages");
      if (
        typeof messages !== "number" ||
        !Number.isInteger(messages) ||
        messages < 1 ||
        messages > 10_000_000
      ) {
        throw new ValidationError("messages must be an integer in 1..10000000");
      }
      target.step(messages);
      sendJson(res, 200, { ok: true, stats: target.stats() });
      return true;
    }
    sendJson(res, 404, { error: { code: "NOT_FOUND", message: `no control route ${route}` } });
  } catch (error) {
    const { status, body } = errorToHttp(error);
    sendJson(res, status, body);
  }
  return true;
}
