/**
 * A real S3-compatible server (s3rver) on 127.0.0.1 for storage/archiver tests, with a bucket
 * created at start. stop()/start() keep the data directory, so tests can simulate an outage.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const S3rver = createRequire(import.meta.url)("s3rver") as S3rverClass;

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  start(): Promise<void>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startS3Server(bucket = "archive"): Promise<TestS3Server> {
  const port = await freePort();
  const directory = await mkdtemp(join(tmpdir(), "ssmd-s3rver-"));
  let instance: S3rverInstance | undefined;
  const server: TestS3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async start() {
      instance = new S3rver({
        address: "127.0.0.1",
        port,
        silent: true,
        directory,
        configureBuckets: [{ name: bucket, configs: [] }],
      });
      await instance.run();
    },
    async stop() {
      await instance?.close();
      instance = undefined;
    },
    async cleanup() {
      await server.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
