/** Content hash for Nats-Msg-Id of unsequenced, non-trade frames: sha1 of the exact bytes. */
import { createHash } from "node:crypto";

export function contentHash(data: Uint8Array): string {
  return createHash("sha1").update(data).digest("base64url");
}
