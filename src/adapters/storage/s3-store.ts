/**
 * ObjectStore over an S3-compatible bucket (AWS, MinIO, Garage, s3rver) through @aws-sdk/client-s3.
 * Uploads are verified: single-part PUTs carry Content-MD5 and the returned ETag must equal the
 * file's MD5; multipart uploads (lib-storage, files ≥ multipartThresholdBytes) must return the
 * multipart ETag computed locally from the same part size. The sha256 travels as metadata.
 */
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { NotFoundError, ProtocolError, UnavailableError } from "../../core/errors.js";
import { expectedMultipartEtag, md5Hex } from "./etag.js";
import type { ObjectInfo, ObjectStore, PutOptions } from "./types.js";

export interface S3StoreConfig {
  bucket: string;
  region: string;
  endpoint?: string;
  prefix?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Files at least this large go up as multipart uploads. Default 16 MiB. */
  multipartThresholdBytes?: number;
  /** Multipart part size. Default 8 MiB (S3's minimum is 5 MiB). */
  partSizeBytes?: number;
  /** SDK attempts per request (the upload spool retries beyond that). Default 3. */
  maxAttempts?: number;
}

export function createS3Store(config: S3StoreConfig): ObjectStore {
  return new S3Store(config);
}

class S3Store implements ObjectStore {
  readonly kind = "s3" as const;
  readonly location: string;
  private readonly client: S3Client;
  private readonly prefix: string;
  private readonly threshold: number;
  private readonly partSize: number;

  constructor(private readonly config: S3StoreConfig) {
    this.prefix = config.prefix ? `${config.prefix.replace(/^\/+|\/+$/g, "")}/` : "";
    this.location = `s3://${config.bucket}/${this.prefix}`;
    this.threshold = config.multipartThresholdBytes ?? 16 * 1024 * 1024;
    this.partSize = config.partSizeBytes ?? 8 * 1024 * 1024;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
      credentials: config.credentials,
      maxAttempts: config.maxAttempts ?? 3,
      // S3-compatible servers often lack the newer flexible checksums; integrity is checked via MD5/ETag.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.config.bucket,
        Prefix: this.prefix + prefix,
        ContinuationToken: token,
      });
      const page = await guard(`LIST ${prefix}`, () => this.client.send(command));
      for (const item of page.Contents ?? []) {
        if (!item.Key) continue;
        const key = item.Key.slice(this.prefix.length);
        out.push({ key, size: item.Size ?? 0, modifiedMs: item.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async listPrefixes(prefix: string): Promise<string[]> {
    const base = prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`;
    const names: string[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.config.bucket,
        Prefix: this.prefix + base,
        Delimiter: "/",
        ContinuationToken: token,
      });
      const page = await guard(`LIST ${base}`, () => this.client.send(command));
      for (const common of page.CommonPrefixes ?? []) {
        const name = (common.Prefix ?? "").slice((this.prefix + base).length).replace(/\/$/, "");
        if (name && !name.startsWith(".")) names.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // Some S3-compatible servers (s3rver) ignore Delimiter: derive the folders from the keys.
    if (names.length === 0) return this.prefixesFromKeys(base);
    return names.sort();
  }

  private async prefixesFromKeys(base: string): Promise<string[]> {
    const names = new Set<string>();
    for (const object of await this.list(base)) {
      const rest = object.key.slice(base.length);
      const slash = rest.indexOf("/");
      if (slash > 0 && !rest.startsWith(".")) names.add(rest.slice(0, slash));
    }
    return [...names].sort();
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw unavailable(error, `HEAD ${key}`);
    }
  }

  async read(key: string): Promise<Readable> {
    try {
      const reply = await this.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key }),
      );
      return reply.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new NotFoundError("object", key);
      throw unavailable(error, `GET ${key}`);
    }
  }

  async readBytes(key: string): Promise<Buffer> {
    const stream = await this.read(key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }

  async putFile(key: string, localPath: string, options: PutOptions = {}): Promise<void> {
    const size = (await stat(localPath)).size;
    if (size < this.threshold) return this.putBytes(key, await readFile(localPath), options);
    const upload = new Upload({
      client: this.client,
      partSize: this.partSize,
      queueSize: 2,
      leavePartsOnError: false,
      params: {
        Bucket: this.config.bucket,
        Key: this.prefix + key,
        Body: createReadStream(localPath),
        ContentType: options.contentType,
        Metadata: options.sha256 ? { sha256: options.sha256 } : undefined,
      },
    });
    const reply = await upload.done().catch((error: unknown) => {
      throw unavailable(error, `multipart PUT ${key}`);
    });
    const expected = await expectedMultipartEtag(localPath, size, this.partSize);
    // S3 answers the multipart ETag; some compatible servers answer the whole file's MD5.
    const got = (reply.ETag ?? "").replaceAll('"', "");
    if (got !== expected) checkEtag(key, reply.ETag, md5Hex(await readFile(localPath)));
  }

  async putBytes(key: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    const md5 = md5Hex(body);
    const command = new PutObjectCommand({
      Bucket: this.config.bucket,
      Key: this.prefix + key,
      Body: body,
      ContentMD5: Buffer.from(md5, "hex").toString("base64"),
      ContentType: options.contentType,
      Metadata: options.sha256 ? { sha256: options.sha256 } : undefined,
    });
    const reply = await guard(`PUT ${key}`, () => this.client.send(command));
    checkEtag(key, reply.ETag, md5);
  }

  async delete(key: string): Promise<void> {
    const command = new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.prefix + key });
    await guard(`DELETE ${key}`, () => this.client.send(command));
  }
}

async function guard<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unavailable(error, what);
  }
}

function checkEtag(key: string, etag: string | undefined, expected: string): void {
  const got = (etag ?? "").replaceAll('"', "");
  if (got !== expected)
    throw new ProtocolError(`upload of ${key} not verified: ETag ${got} != expected ${expected}`);
}

function isNotFound(error: unknown): boolean {
  const meta = (error as { $metadata?: { httpStatusCode?: number }; name?: string }) ?? {};
  return meta.$metadata?.httpStatusCode === 404 || meta.name === "NotFound" || meta.name === "NoSuchKey";
}

function unavailable(error: unknown, what: string): Error {
  if (error instanceof ProtocolError || error instanceof NotFoundError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnavailableError(`S3 ${what} failed: ${message}`, { cause: error });
}
