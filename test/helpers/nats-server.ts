/**
 * A private nats-server (JetStream, file storage in a temp dir) on a free loopback port, per test
 * file. Real server, real protocol; `restart()` keeps the store so tests can kill NATS mid-stream.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

const BINARY = process.env.NATS_SERVER_BIN ?? "nats-server";

export async function startNatsServer(): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), "ssmd-nats-"));
  let child: ChildProcess | undefined;
  const server: TestNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    async start() {
      child = spawn(BINARY, ["-js", "-sd", storeDir, "-a", "127.0.0.1", "-p", String(port)], {
        stdio: "ignore",
      });
      await waitForPort(port, 10_000);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once("exit", () => resolve());
        running.kill("SIGTERM");
        setTimeout(() => running.kill("SIGKILL"), 5000).unref();
      });
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async cleanup() {
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
}
