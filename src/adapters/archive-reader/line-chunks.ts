/**
 * Decompressed archive bytes → buffers that hold only whole lines, found with Buffer.indexOf
 * on the raw bytes; nothing is decoded to strings here (chunk-scanner.ts splits the lines).
 * A final line without a newline (a salvaged, torn write) is still passed on; the scanner
 * JSON-checks it before use.
 */
import type { Readable } from "node:stream";
import { createGunzip, type Gunzip } from "node:zlib";

const NEWLINE = 10;
/** Output chunk of the gunzip stream: bigger chunks mean fewer hops to the zlib thread. */
export const GUNZIP_CHUNK = 1024 * 1024;

export function gunzipStream(compressed: Readable): Gunzip {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  compressed.on("error", (error) => gunzip.destroy(error));
  gunzip.on("close", () => compressed.destroy());
  compressed.pipe(gunzip);
  return gunzip;
}

/** Only the line torn across two chunks is copied; the rest of each chunk is passed as a view. */
export async function* wholeLineChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of source) {
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      carry = carry ? Buffer.concat([carry, chunk]) : chunk;
      continue;
    }
    let from = 0;
    if (carry) {
      const firstNewline = chunk.indexOf(NEWLINE);
      yield Buffer.concat([carry, chunk.subarray(0, firstNewline + 1)]);
      from = firstNewline + 1;
    }
    if (from <= lastNewline) yield chunk.subarray(from, lastNewline + 1);
    carry = lastNewline + 1 < chunk.length ? chunk.subarray(lastNewline + 1) : undefined;
  }
  if (carry && carry.length > 0) yield carry;
}
