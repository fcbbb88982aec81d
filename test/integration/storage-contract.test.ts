/**
 * One contract suite for both ObjectStore implementations: a local directory and S3 (a real
 * s3rver on 127.0.0.1), including a verified multipart upload.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createLocalStore } from "../../src/adapters/storage/local-store.js";
import { createS3Store } from "../../src/adapters/storage/s3-store.js";
import type { ObjectStore } from "../../src/adapters/storage/types.js";
import { startS3Server, type TestS3Server } from "../helpers/s3-server.js";
import { tempDir } from "../helpers/tmp.js";

let s3: TestS3Server;
let dir: { path: string; cleanup: () => Promise<void> };

before(async () => {
  s3 = await startS3Server("contract");
  dir = await tempDir("ssmd-storage-");
});
after(async () => {
  await s3.cleanup();
  await dir.cleanup();
});

const stores: Array<[string, () => ObjectStore]> = [
  ["local", () => createLocalStore(join(dir.path, "root"))],
  [
    "s3",
    () =>
      createS3Store({
        bucket: s3.bucket,
        region: "us-east-1",
        endpoint: s3.endpoint,
        prefix: "pre/fix",
        credentials: s3.credentials,
        multipartThresholdBytes: 6 * 1024 * 1024,
        partSizeBytes: 5 * 1024 * 1024,
      }),
  ],
];

for (const [kind, make] of stores) {
  describe(`ObjectStore contract: ${kind}`, () => {
    test("put, list, listPrefixes, exists, read, delete", async () => {
      const store = make();
      await store.putBytes("kalshi/2026-11-21/0000.jsonl.gz", Buffer.from("a"));
      await store.putBytes("kalshi/2026-11-21/manifest.json", Buffer.from("{}"));
      await store.putBytes("kalshi/2026-11-22/0015.jsonl.gz", Buffer.from("bb"));
      await store.putBytes("other/2026-11-22/0015.jsonl.gz", Buffer.from("c"));
      assert.deepEqual(await store.listPrefixes(""), ["kalshi", "other"]);
      assert.deepEqual(await store.listPrefixes("kalshi/"), ["2026-11-21", "2026-11-22"]);
      const listed = await store.list("kalshi/2026-11-2");
      assert.deepEqual(
        listed.map((o) => [o.key, o.size]),
        [
          ["kalshi/2026-11-21/0000.jsonl.gz", 1],
          ["kalshi/2026-11-21/manifest.json", 2],
          ["kalshi/2026-11-22/0015.jsonl.gz", 2],
        ],
      );
      assert.equal(await store.exists("kalshi/2026-11-22/0015.jsonl.gz"), true);
      assert.equal(await store.exists("kalshi/nope"), false);
      assert.equal((await store.readBytes("kalshi/2026-11-22/0015.jsonl.gz")).toString(), "bb");
      const chunks: Buffer[] = [];
      for await (const chunk of await store.read("kalshi/2026-11-21/manifest.json"))
        chunks.push(Buffer.from(chunk));
      assert.equal(Buffer.concat(chunks).toString(), "{}");
      await assert.rejects(store.readBytes("kalshi/missing"), { code: "NOT_FOUND" });
      await store.delete("other/2026-11-22/0015.jsonl.gz");
      assert.equal(await store.exists("other/2026-11-22/0015.jsonl.gz"), false);
    });

    test("putFile: small and multipart, bytes verified", async () => {
      const store = make();
      const src = join(dir.path, `src-${kind}`);
      await mkdir(src, { recursive: true });
      for (const size of [1000, 11 * 1024 * 1024]) {
        const body = randomBytes(size);
        const path = join(src, `f-${size}`);
        await writeFile(path, body);
        await store.putFile(`files/f-${size}`, path);
        assert.ok((await store.readBytes(`files/f-${size}`)).equals(body));
      }
    });
  });
}

test("local store hides .tmp and dot files and refuses keys escaping the root", async () => {
  const root = join(dir.path, "hidden");
  const store = createLocalStore(root);
  await mkdir(join(root, "kalshi", "2026-11-21"), { recursive: true });
  await mkdir(join(root, ".archiver-state"), { recursive: true });
  await writeFile(join(root, "kalshi", "2026-11-21", "0000.jsonl.gz.tmp"), "x");
  await writeFile(join(root, "kalshi", "2026-11-21", "0000.jsonl.gz"), "y");
  assert.deepEqual(await store.listPrefixes(""), ["kalshi"]);
  assert.deepEqual(
    (await store.list("")).map((o) => o.key),
    ["kalshi/2026-11-21/0000.jsonl.gz"],
  );
  await assert.rejects(store.putBytes("../escape", Buffer.from("x")), { code: "VALIDATION" });
  await assert.rejects(store.list("../"), { code: "VALIDATION" });
  await assert.rejects(store.listPrefixes("kalshi/../../"), { code: "VALIDATION" });
});
