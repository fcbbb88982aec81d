/**
 * One open archive file: `{dir}/{name}.tmp`, gzip-compressed as a stream. `sync()` makes every
 * line appended so far durable and readable (gzip SYNC_FLUSH, write, fdatasync): after a crash
 * the `.tmp` holds a decodable prefix. `seal()` finishes the gzip stream, fsyncs and renames to
 * the final name; a sealed file is never written again.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { constants, createGzip, type Gzip } from "node:zlib";
import { syncDir } from "../../adapters/storage/local-store.js";
import { TMP_SUFFIX } from "../../core/archive-paths.js";

const CHUNK_BYTES = 256 * 1024;
const RT_PREFIX = Buffer.from('{"rt":');
const SEQ_PREFIX = Buffer.from(',"seq":');
const MAX_DIGITS = 16;

/** Writes a non-negative safe integer in decimal at `at`; returns the end. */
function writeDigits(buffer: Buffer, at: number, value: number): number {
  if (value < 10) {
    buffer[at] = 0x30 + value;
    return at + 1;
  }
  let digits = 0;
  for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits++;
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    buffer[i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

export interface WrittenFile {
  path: string;
  bytesCompressed: number;
  bytesRaw: number;
  sha256: string;
}

export class ArchiveFileWriter {
  private readonly gzip: Gzip;
  private readonly hash = createHash("sha256");
  private output: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private bytesCompressed = 0;
  private bytesRaw = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly handle: FileHandle,
    readonly tmpPath: string,
    readonly finalPath: string,
    level: number,
  ) {
    this.gzip = createGzip({ level });
    this.gzip.on("data", (chunk: Buffer) => this.output.push(chunk));
    this.gzip.on("error", (error) => {
      this.failure = error;
    });
  }

  static async create(dir: string, name: string, level: number): Promise<ArchiveFileWriter> {
    const tmpPath = join(dir, name + TMP_SUFFIX);
    const handle = await open(tmpPath, "w");
    await syncDir(dir);
    return new ArchiveFileWriter(handle, tmpPath, join(dir, name), level);
  }

  /** Buffers one line (with its newline). Not durable until sync(). */
  append(line: string): void {
    this.reserve(line.length * 3);
    this.used += this.chunk.write(line, this.used, "utf8");
  }

  /**
   * Buffers `{"rt":<rt>,"seq":<seq>` + `tail` (the subject part, `,"subject":"…","msg":`) + the
   * frame bytes + `}\n`, writing the digits straight into the buffer (no string per line).
   */
  appendLine(rt: number, seq: number, tail: Uint8Array, frame: Uint8Array): void {
    this.reserve(RT_PREFIX.length + SEQ_PREFIX.length + 2 * MAX_DIGITS + tail.length + frame.length + 2);
    const chunk = this.chunk;
    chunk.set(RT_PREFIX, this.used);
    let at = writeDigits(chunk, this.used + RT_PREFIX.length, rt);
    chunk.set(SEQ_PREFIX, at);
    at = writeDigits(chunk, at + SEQ_PREFIX.length, seq);
    chunk.set(tail, at);
    at += tail.length;
    chunk.set(frame, at);
    at += frame.length;
    chunk[at++] = 0x7d;
    chunk[at++] = 0x0a;
    this.used = at;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.chunk.length) return;
    this.pushLines();
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes);
  }

  /** Everything appended so far is on disk, fsynced, and decodable from the `.tmp`. */
  async sync(): Promise<void> {
    this.pushLines();
    await new Promise<void>((done) => this.gzip.flush(constants.Z_SYNC_FLUSH, () => done()));
    await this.writeOutput();
    await this.handle.datasync();
  }

  /** Finishes the gzip stream, fsyncs, renames `.tmp` → final. */
  async seal(): Promise<WrittenFile> {
    this.pushLines();
    const ended = new Promise<void>((done) => this.gzip.once("end", () => done()));
    this.gzip.end();
    await ended;
    await this.writeOutput();
    await this.handle.sync();
    await this.handle.close();
    await rename(this.tmpPath, this.finalPath);
    await syncDir(join(this.finalPath, ".."));
    return {
      path: this.finalPath,
      bytesCompressed: this.bytesCompressed,
      bytesRaw: this.bytesRaw,
      sha256: this.hash.digest("hex"),
    };
  }

  /** Closes without sealing (the `.tmp` stays for the next start's salvage). */
  async abandon(): Promise<void> {
    this.gzip.destroy();
    await this.handle.close().catch(() => undefined);
  }

  /** Hands the buffered bytes to gzip (which keeps them), starting a fresh buffer. */
  private pushLines(): void {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, this.chunk.length));
    this.used = 0;
    this.bytesRaw += full.length;
    this.gzip.write(full);
  }

  private async writeOutput(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.output.length === 0) return;
    const chunks = this.output;
    this.output = [];
    for (const chunk of chunks) this.hash.update(chunk);
    const data = Buffer.concat(chunks);
    this.bytesCompressed += data.length;
    await this.handle.write(data);
  }
}
