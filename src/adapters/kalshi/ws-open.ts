/**
 * Opens one WebSocket and resolves only once the upgrade succeeded. HTTP 401/403 at the upgrade
 * → AuthError; another status → UnavailableError; handshake timeout → TimeoutError.
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import WebSocket from "ws";
import {
  AuthError,
  errorMessage,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from "../../core/errors.js";

const MAX_ERROR_BODY = 512;

/** ValidationError unless `text` is a ws:// or wss:// URL. */
export function checkWsUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError("invalid Kalshi WebSocket URL", [`not a URL: '${text}'`]);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new ValidationError("invalid Kalshi WebSocket URL", [
      `expected ws:// or wss://, got '${url.protocol}'`,
    ]);
  }
}

export function openSocket(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, { headers, handshakeTimeout: timeoutMs });
    } catch (cause) {
      reject(
        new UnavailableError(`invalid Kalshi WebSocket URL '${url}': ${errorMessage(cause)}`, { cause }),
      );
      return;
    }
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    socket.once("open", () => {
      settled = true;
      socket.removeAllListeners("error");
      resolve(socket);
    });
    socket.on("error", (cause) => {
      const timedOut = /handshake has timed out/i.test(cause.message);
      const message = `cannot connect to Kalshi WebSocket ${url}: ${cause.message}`;
      fail(timedOut ? new TimeoutError(message, { cause }) : new UnavailableError(message, { cause }));
    });
    socket.once("unexpected-response", (request: ClientRequest, response: IncomingMessage) => {
      void readBody(response).then((body) => {
        fail(upgradeError(url, response.statusCode ?? 0, body));
        request.destroy();
        socket.terminate();
      });
    });
  });
}

function upgradeError(url: string, status: number, body: string): Error {
  const said = body ? `: ${body}` : "";
  if (status === 401 || status === 403) {
    return new AuthError(`Kalshi refused the WebSocket upgrade to ${url} with HTTP ${status}${said}`, {
      details: ["check KALSHI_API_KEY and the private key; the signature covers ts + GET + the URL path"],
    });
  }
  return new UnavailableError(`Kalshi WebSocket upgrade to ${url} answered HTTP ${status}${said}`);
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      if (body.length < MAX_ERROR_BODY) body += chunk;
    });
    response.on("end", () => resolve(body.slice(0, MAX_ERROR_BODY).trim()));
    response.on("error", () => resolve(body.trim()));
    response.on("close", () => resolve(body.trim()));
  });
}
