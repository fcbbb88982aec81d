/**
 * The storage port for sealed archive files and manifests: a local directory or an S3 prefix.
 * Keys are '/'-separated paths relative to the archive root, e.g. "kalshi/2026-11-21/1415.jsonl.gz".
 * The archiver writes through it; the archive reader, data API and secmaster snapshots read through it.
 * Implementations: local-store.ts (directory), s3-store.ts (AWS SDK, S3-compatible).
 */
import type { Readable } from "node:stream";

export interface ObjectInfo {
  key: string;
  size: number;
  modifiedMs: number;
}

export interface PutOptions {
  contentType?: string;
  /** Hex sha256 of the body, verified by the store where it can. */
  sha256?: string;
}

export interface ObjectStore {
  readonly kind: "local" | "s3";
  /** Human description: a path or s3://bucket/prefix. */
  readonly location: string;
  /** Every object whose key starts with `prefix`, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
  /** Names (no slashes) of the immediate "sub-folders" under prefix (e.g. feeds, dates). */
  listPrefixes(prefix: string): Promise<string[]>;
  exists(key: string): Promise<boolean>;
  read(key: string): Promise<Readable>;
  readBytes(key: string): Promise<Buffer>;
  /** Writes the whole object durably (fsync + rename locally; confirmed upload on S3). */
  putFile(key: string, localPath: string, options?: PutOptions): Promise<void>;
  putBytes(key: string, body: Uint8Array, options?: PutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  /** Local stores only: the file path an object key maps to (lets a writer seal in place). */
  localPathOf?(key: string): string;
}
