/**
 * `ssmd demo` twice into the same directory through the real CLI binary (run `npm run build`
 * first): the in-process bus restarts empty, yet the second run's messages are archived too.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { runSsmd } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { checkArchive } from "./demo-archive.js";

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function archiveDir(): Promise<string> {
  const dir = await tempDir("ssmd-demo-rerun-");
  cleanups.push(dir.cleanup);
  return dir.path;
}

test("a second run into the same directory continues the archive (nothing taken for a redelivery)", async () => {
  const dir = await archiveDir();
  const archived: number[] = [];
  for (let run = 0; run < 2; run++) {
    const result = await runSsmd(["demo", "--duration", "2", "--dir", dir, "--rate", "300", "--json"], {
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout.slice(result.stdout.lastIndexOf("\n{"))) as { archived: number };
    assert.ok(summary.archived > 50, `run ${run} archived ${summary.archived}`);
    archived.push(summary.archived);
  }
  const archive = await checkArchive(dir);
  assert.equal(archive.lines, archived[0]! + archived[1]!);
});
