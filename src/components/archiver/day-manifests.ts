/**
 * The local copy of each day's manifest ({workDir}/{feed}/{date}/manifest.json): loaded once
 * (merged with the store's copy when the store is remote), updated with a delta at each seal,
 * written atomically, then queued for upload, where it is merged again with the store's copy.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Logger } from "../../adapters/log.js";
import { syncFileAndDir } from "../../adapters/storage/local-store.js";
import type { ObjectStore } from "../../adapters/storage/types.js";
import type { UploadSpool } from "../../adapters/storage/upload-spool.js";
import { manifestKey } from "../../core/archive-paths.js";
import { errorMessage } from "../../core/errors.js";
import {
  applyDelta,
  type DayManifest,
  emptyManifest,
  type ManifestDelta,
  mergeManifests,
} from "../../core/manifest.js";
import { parseManifestText } from "../../core/manifest-schema.js";

export class DayManifests {
  private readonly days = new Map<string, DayManifest>();

  constructor(
    private readonly workDir: string,
    private readonly feed: string,
    private readonly store: ObjectStore,
    private readonly spool: UploadSpool,
    private readonly logger: Logger,
    private readonly nowIso: () => string,
  ) {}

  localPath(date: string): string {
    return join(this.workDir, manifestKey(this.feed, date));
  }

  async get(date: string): Promise<DayManifest> {
    const cached = this.days.get(date);
    if (cached) return cached;
    let manifest = await this.readLocal(date);
    if (this.store.localPathOf?.(manifestKey(this.feed, date)) !== this.localPath(date)) {
      manifest = await this.mergeRemote(date, manifest);
    }
    this.days.set(date, manifest);
    if (this.days.size > 4) this.days.delete([...this.days.keys()].sort()[0]!);
    return manifest;
  }

  async apply(date: string, delta: ManifestDelta): Promise<DayManifest> {
    const next = applyDelta(await this.get(date), delta, this.nowIso());
    this.days.set(date, next);
    await this.writeLocal(date, next);
    this.spool.enqueue({
      key: manifestKey(this.feed, date),
      localPath: this.localPath(date),
      kind: "manifest",
    });
    return next;
  }

  private async readLocal(date: string): Promise<DayManifest> {
    const path = this.localPath(date);
    const text = await readFile(path, "utf8").catch(() => undefined);
    if (text === undefined) return emptyManifest(this.feed, date, this.nowIso());
    try {
      return parseManifestText(text, path);
    } catch (error) {
      // Never overwrite what cannot be read: keep it aside and start a fresh one.
      this.logger.error("unreadable manifest moved aside", { path, error: errorMessage(error) });
      await rename(path, `${path}.corrupt-${Date.now()}`);
      return emptyManifest(this.feed, date, this.nowIso());
    }
  }

  private async mergeRemote(date: string, local: DayManifest): Promise<DayManifest> {
    const key = manifestKey(this.feed, date);
    try {
      if (!(await this.store.exists(key))) return local;
      const remote = parseManifestText((await this.store.readBytes(key)).toString("utf8"), key);
      return mergeManifests(local, remote);
    } catch (error) {
      this.logger.warn("store manifest not merged now (will merge at upload)", {
        key,
        error: errorMessage(error),
      });
      return local;
    }
  }

  private async writeLocal(date: string, manifest: DayManifest): Promise<void> {
    const path = this.localPath(date);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.write`;
    await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    await syncFileAndDir(temp);
    await rename(temp, path);
  }
}

/** The spool's manifest merge: local ∪ store copy, as JSON bytes. */
export function mergeManifestBytes(local: Buffer, remote: Buffer | undefined): Buffer {
  if (!remote) return local;
  const merged = mergeManifests(
    parseManifestText(local.toString("utf8"), "local manifest"),
    parseManifestText(remote.toString("utf8"), "stored manifest"),
  );
  return Buffer.from(`${JSON.stringify(merged, null, 2)}\n`);
}
