/**
 * ObjectStore over a local directory. Writes are durable: temp file, fsync, rename, fsync of the
 * directory. Hidden names (".state", ".x") and `.tmp` files are not objects and are never listed.
 */
import { createReadStream } from "node:fs";
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import type { ObjectInfo, ObjectStore, PutOptions } from "./types.js";

export function createLocalStore(root: string): ObjectStore {
  return new LocalStore(resolve(root));
}

class LocalStore implements ObjectStore {
  readonly kind = "local" as const;
  constructor(readonly location: string) {}

  localPathOf(key: string): string {
    const path = resolve(this.location, key);
    if (!path.startsWith(this.location + sep) || key.split("/").some((part) => part === "..")) {
      throw new ValidationError(`object key '${key}' escapes the store root`);
    }
    return path;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const base = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    if (base !== "") this.localPathOf(base); // refuses a prefix that escapes the root, like every key
    const out: ObjectInfo[] = [];
    await this.walk(base, async (key, path) => {
      if (!key.startsWith(prefix)) return;
      const info = await stat(path);
      out.push({ key, size: info.size, modifiedMs: info.mtimeMs });
    });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    const dir = prefix === "" ? this.location : this.localPathOf(prefix.replace(/\/$/, ""));
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory() && isVisible(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  async exists(key: string): Promise<boolean> {
    return stat(this.localPathOf(key)).then(
      (info) => info.isFile(),
      () => false,
    );
  }

  async read(key: string): Promise<Readable> {
    const path = this.localPathOf(key);
    if (!(await this.exists(key))) throw new NotFoundError("object", key);
    return createReadStream(path);
  }

  async readBytes(key: string): Promise<Buffer> {
    return readFile(this.localPathOf(key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") throw new NotFoundError("object", key);
      throw error;
    });
  }

  async putFile(key: string, localPath: string, _options?: PutOptions): Promise<void> {
    const target = this.localPathOf(key);
    if (resolve(localPath) === target) return syncFileAndDir(target);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.put.tmp`;
    await copyFile(localPath, temp);
    await syncFileAndDir(temp);
    await rename(temp, target);
    await syncDir(dirname(target));
  }

  async putBytes(key: string, body: Uint8Array, _options?: PutOptions): Promise<void> {
    const target = this.localPathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.put.tmp`;
    await writeFile(temp, body);
    await syncFileAndDir(temp);
    await rename(temp, target);
    await syncDir(dirname(target));
  }

  async delete(key: string): Promise<void> {
    await rm(this.localPathOf(key), { force: true });
  }

  private async walk(relDir: string, visit: (key: string, path: string) => Promise<void>): Promise<void> {
    const dir = relDir === "" ? this.location : join(this.location, relDir);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!isVisible(entry.name)) continue;
      const key = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
      if (entry.isDirectory()) await this.walk(key, visit);
      else if (entry.isFile()) await visit(key, join(dir, entry.name));
    }
  }
}

function isVisible(name: string): boolean {
  return !name.startsWith(".") && !name.endsWith(".tmp");
}

/** fsync a file, then its directory (so a following rename or create is durable). */
export async function syncFileAndDir(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDir(dirname(path));
}

export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
