/**
 * Test client for the simulator's WebSocket (a plain `ws` socket, signed like Kalshi wants),
 * collecting every frame so tests can wait for and inspect them. Shared by the sim-*.test.ts files.
 */
import { createPrivateKey } from "node:crypto";
import WebSocket from "ws";
import type { Simulator } from "../../src/components/sim/index.js";
import { authHeaders } from "../../src/core/kalshi/sign.js";

export type Frame = Record<string, unknown> & {
  type?: string;
  id?: number;
  sid?: number;
  seq?: number;
  msg?: unknown;
};

export interface SimClient {
  ws: WebSocket;
  texts: string[];
  frames: Frame[];
  pings: string[];
  send(command: unknown): void;
  /** Resolves with the first frame (after `from`) matching; rejects after `timeoutMs`. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs?: number, from?: number): Promise<Frame>;
  /** Resolves when `count` frames match. */
  waitForCount(match: (frame: Frame) => boolean, count: number, timeoutMs?: number): Promise<Frame[]>;
  closed: Promise<number>;
  close(): Promise<void>;
}

export function signedHeaders(
  sim: Simulator,
  path = "/trade-api/ws/v2",
  nowMs = Date.now(),
): Record<string, string> {
  return authHeaders(sim.apiKeyId, createPrivateKey(sim.privateKeyPem), nowMs, "GET", path);
}

/** Opens a connection; `headers` null = unsigned. Rejects with the HTTP status on refusal. */
export function connect(
  sim: Simulator,
  headers: Record<string, string> | null = signedHeaders(sim),
): Promise<SimClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(sim.wsUrl, { headers: headers ?? {}, perMessageDeflate: false });
    const texts: string[] = [];
    const frames: Frame[] = [];
    const pings: string[] = [];
    const waiters = new Set<() => void>();
    const closed = new Promise<number>((done) => ws.once("close", (code) => done(code)));
    ws.on("message", (data) => {
      const text = data.toString();
      texts.push(text);
      try {
        frames.push(JSON.parse(text) as Frame);
      } catch {
        frames.push({ type: "__malformed__", text });
      }
      for (const wake of waiters) wake();
    });
    ws.on("ping", (data) => pings.push(data.toString()));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
    ws.once("open", () => {
      /** Scans only frames not yet seen (from index `from`), so waiting stays linear. */
      const waitForCount = (match: (frame: Frame) => boolean, count: number, timeoutMs = 5000, from = 0) =>
        new Promise<Frame[]>((done, fail) => {
          const found: Frame[] = [];
          let scanned = from;
          const check = () => {
            for (; scanned < frames.length && found.length < count; scanned++) {
              if (match(frames[scanned]!)) found.push(frames[scanned]!);
            }
            if (found.length < count) return false;
            clearTimeout(timer);
            waiters.delete(check);
            done(found);
            return true;
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            fail(
              new Error(
                `timed out waiting for ${count} frames (${found.length} seen); last: ${texts.slice(-3).join(" | ")}`,
              ),
            );
          }, timeoutMs);
          if (!check()) waiters.add(check);
        });
      resolve({
        ws,
        texts,
        frames,
        pings,
        send: (command) => ws.send(typeof command === "string" ? command : JSON.stringify(command)),
        waitFor: async (match, timeoutMs = 5000, from = 0) => {
          const found = await waitForCount(
            (frame) => frames.indexOf(frame) >= from && match(frame),
            1,
            timeoutMs,
          );
          return found[0]!;
        },
        waitForCount,
        closed,
        close: async () => {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close();
          await closed;
        },
      });
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no frame has arrived for `quietMs` (all frames in flight delivered). */
export async function settle(client: SimClient, quietMs = 200, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let count = -1;
  while (client.frames.length !== count && Date.now() < deadline) {
    count = client.frames.length;
    await sleep(quietMs);
  }
}
