/**
 * Server→client WebSocket text frames (RFC 6455 §5.2: FIN + opcode 1, unmasked), many packed
 * into one Buffer so a batch of messages costs one allocation and one socket write instead of
 * two buffers and a writev entry each. Used only with permessage-deflate off.
 */
function headerSize(length: number): number {
  if (length < 126) return 2;
  return length < 65_536 ? 4 : 10;
}

function writeHeader(out: Buffer, offset: number, length: number): number {
  out[offset] = 0x81; // FIN, text
  if (length < 126) {
    out[offset + 1] = length;
    return offset + 2;
  }
  if (length < 65_536) {
    out[offset + 1] = 126;
    out.writeUInt16BE(length, offset + 2);
    return offset + 4;
  }
  out[offset + 1] = 127;
  out.writeUInt32BE(Math.floor(length / 2 ** 32), offset + 2);
  out.writeUInt32BE(length >>> 0, offset + 6);
  return offset + 10;
}

/** Frames texts[start..end) into one Buffer. */
export function packTextFrames(texts: string[], start: number, end: number): Buffer {
  const lengths: number[] = [];
  let total = 0;
  for (let i = start; i < end; i++) {
    const length = Buffer.byteLength(texts[i]!, "utf8");
    lengths.push(length);
    total += headerSize(length) + length;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = start; i < end; i++) {
    offset = writeHeader(out, offset, lengths[i - start]!);
    offset += out.write(texts[i]!, offset, "utf8");
  }
  return out;
}
