/** MD5/ETag arithmetic for verifying S3 uploads. */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

export function md5Hex(body: Uint8Array): string {
  return createHash("md5").update(body).digest("hex");
}

/** S3's multipart ETag: md5 of the concatenated part md5s, "-" part count. */
export async function expectedMultipartEtag(path: string, size: number, partSize: number): Promise<string> {
  const handle = await open(path, "r");
  const digests: Buffer[] = [];
  try {
    const buffer = Buffer.alloc(partSize);
    for (let offset = 0; offset < size; offset += partSize) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(partSize, size - offset), offset);
      digests.push(createHash("md5").update(buffer.subarray(0, bytesRead)).digest());
    }
  } finally {
    await handle.close();
  }
  if (digests.length <= 1) return digests[0]?.toString("hex") ?? md5Hex(new Uint8Array());
  return `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${digests.length}`;
}
