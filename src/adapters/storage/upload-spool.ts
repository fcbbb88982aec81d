/**
 * The upload spool: sealed files wait in a local directory until the store confirms them, so an
 * S3 outage loses nothing. Tasks are retried with capped exponential backoff for as long as the
 * process runs; what is still pending at exit is found again at the next start (the archiver's
 * recoverWorkDir), by comparing the spool's files with the log of confirmed uploads (`isConfirmed`). Manifests are merged with the
 * store's copy before upload (`mergeManifest`), never blindly overwritten.
 */
import { createHash } from "node:crypto";
import { appendFile, mkdir, readFile, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { errorMessage } from "../../core/errors.js";
import type { Logger } from "../log.js";
import type { ObjectStore } from "./types.js";

export interface SpoolTask {
  key: string;
  localPath: string;
  kind: "data" | "manifest";
  sha256?: string;
}

export interface UploadSpoolOptions {
  store: ObjectStore;
  /** Where the confirmed-upload log lives. */
  stateDir: string;
  deleteLocalAfterUpload: boolean;
  logger: Logger;
  /** Combines the local manifest with the store's copy (undefined when absent). */
  mergeManifest: (local: Buffer, remote: Buffer | undefined) => Buffer;
  retryInitialMs?: number;
  retryMaxMs?: number;
  onUploaded?: (task: SpoolTask, bytes: number) => void;
  onRetry?: (task: SpoolTask, error: unknown) => void;
}

export class UploadSpool {
  private readonly queue = new Map<string, SpoolTask>();
  private readonly logPath: string;
  private confirmed = new Map<string, string>();
  private running = false;
  private worker: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: UploadSpoolOptions) {
    this.logPath = join(options.stateDir, "uploaded.log");
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Loads the confirmed-upload log. Call once before `isConfirmed`/`start`. */
  async open(): Promise<void> {
    await mkdir(this.options.stateDir, { recursive: true });
    const text = await readFile(this.logPath, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const [key, sha] = line.split("\t");
      if (key) this.confirmed.set(key, sha ?? "");
    }
  }

  /** True when this key (and, for manifests, this exact content) was already confirmed. */
  isConfirmed(key: string, sha256?: string): boolean {
    const logged = this.confirmed.get(key);
    return logged !== undefined && (sha256 === undefined || logged === sha256);
  }

  enqueue(task: SpoolTask): void {
    this.queue.delete(task.key);
    this.queue.set(task.key, task);
    this.wake?.();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.worker = this.run();
  }

  /** Waits until the queue is empty or `timeoutMs` passes; true when everything was uploaded. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.queue.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((done) => this.idleWaiters.push(() => done(true)));
    const late = new Promise<boolean>((done) => {
      timer = setTimeout(() => done(false), timeoutMs);
    });
    const result = await Promise.race([idle, late]);
    clearTimeout(timer);
    return result;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.worker;
  }

  private async run(): Promise<void> {
    let delay = this.options.retryInitialMs ?? 200;
    while (this.running) {
      const task = this.queue.values().next().value;
      if (!task) {
        for (const waiter of this.idleWaiters.splice(0)) waiter();
        await new Promise<void>((done) => {
          this.wake = done;
        });
        continue;
      }
      try {
        await this.upload(task);
        if (this.queue.get(task.key) === task) this.queue.delete(task.key);
        delay = this.options.retryInitialMs ?? 200;
      } catch (error) {
        this.options.onRetry?.(task, error);
        this.options.logger.warn("upload failed, will retry", {
          key: task.key,
          error: errorMessage(error),
          delay_ms: delay,
        });
        await this.sleep(delay);
        delay = Math.min(delay * 2, this.options.retryMaxMs ?? 5000);
      }
    }
  }

  private async upload(task: SpoolTask): Promise<void> {
    const { store } = this.options;
    let sha = task.sha256;
    let bytes: number;
    if (task.kind === "manifest") {
      const local = await readFile(task.localPath);
      const remote = (await store.exists(task.key)) ? await store.readBytes(task.key) : undefined;
      const merged = this.options.mergeManifest(local, remote);
      sha = createHash("sha256").update(local).digest("hex");
      const samePlace = store.localPathOf?.(task.key) === resolve(task.localPath);
      if (!samePlace || remote === undefined || !merged.equals(local)) await store.putBytes(task.key, merged);
      bytes = merged.length;
    } else {
      const size = await stat(task.localPath).then(
        (info) => info.size,
        () => undefined,
      );
      if (size === undefined) return this.options.logger.warn("spooled file vanished", { key: task.key });
      bytes = size;
      await store.putFile(task.key, task.localPath, { sha256: task.sha256, contentType: "application/gzip" });
    }
    await appendFile(this.logPath, `${task.key}\t${sha ?? ""}\n`);
    this.confirmed.set(task.key, sha ?? "");
    this.options.onUploaded?.(task, bytes);
    const inPlace = store.localPathOf?.(task.key) === resolve(task.localPath);
    if (task.kind === "data" && this.options.deleteLocalAfterUpload && !inPlace) {
      await rm(task.localPath, { force: true });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((done) => {
      const timer = setTimeout(done, ms);
      this.wake = () => {
        clearTimeout(timer);
        done();
      };
    });
  }
}
