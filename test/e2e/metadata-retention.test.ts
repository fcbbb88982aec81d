/**
 * transport.retention through the real `ssmd` binary: `ssmd init` writes it, `ssmd validate`
 * names file:line for a bad duration, and `ssmd env apply` compares the live stream's retention
 * (real nats-server) with the environment's.
 */
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect, nanos } from "nats";
import { type CliResult, runSsmd } from "../helpers/cli.js";
import { startNatsServer, type TestNatsServer } from "../helpers/nats-server.js";
import { tempDir } from "../helpers/tmp.js";

let home: { path: string; cleanup: () => Promise<void> };
let nats: TestNatsServer;
let ex: string;
const STREAM = `RETAIN_${process.pid}`;

function run(args: string[]): Promise<CliResult> {
  const env = { HOME: home.path, GIT_CONFIG_NOSYSTEM: "1", SSMD_EXCHANGES: ex, KALSHI_API_KEY: "" };
  return runSsmd(args, { cwd: home.path, env });
}

before(async () => {
  home = await tempDir("ssmd-e2e-retention-");
  ex = join(home.path, "exchanges");
  nats = await startNatsServer();
  const init = await run(["init", "--dir", ex]);
  assert.equal(init.code, 0, init.stderr);
});
after(async () => {
  await nats.cleanup();
  await home.cleanup();
});

describe("transport.retention (real binary)", () => {
  it("init writes a retention block that validates; a bad duration is named by file:line", async () => {
    const dev = join(ex, "environments", "kalshi-dev.yaml");
    const text = await readFile(dev, "utf8");
    assert.match(text, /retention:\n {4}max_age: 7d\n/);
    assert.match(
      await readFile(join(ex, "environments", "kalshi-prod.yaml"), "utf8"),
      /replicas: 3 # needs a 3-node/,
    );
    assert.equal((await run(["validate"])).code, 0);

    await writeFile(dev, text.replace("max_age: 7d", "max_age: 7 days"));
    const line = text.split("\n").findIndex((l) => l.includes("max_age: 7d")) + 1;
    const result = await run(["validate"]);
    assert.equal(result.code, 1, result.stdout);
    const output = `${result.stdout}${result.stderr}`;
    assert.ok(
      output.includes(
        `kalshi-dev.yaml:${line} transport.retention.max_age: must be a duration like 30s, 15m, 24h or 7d (got "7 days")`,
      ),
      output,
    );
    await writeFile(dev, text);
  });

  it("env apply shows whether the live stream's retention matches the environment's", async () => {
    const sim = await readFile(join(ex, "environments", "kalshi-sim.yaml"), "utf8");
    const staging = sim
      .replace("name: kalshi-sim", "name: kalshi-staging")
      .replace("nats://127.0.0.1:4222", nats.url)
      .replace("SIM_KALSHI", STREAM)
      .replace("subject_prefix: sim.kalshi", "subject_prefix: staging.kalshi\n  retention: { max_age: 1d }");
    const file = join(home.path, "kalshi-staging.yaml");
    await writeFile(file, staging);
    const connection = await connect({ servers: nats.url });
    const manager = await connection.jetstreamManager();
    await manager.streams.add({ name: STREAM, subjects: ["staging.kalshi.>"], max_age: nanos(86_400_000) });
    const same = await run(["env", "apply", file, "--yes"]);
    assert.match(same.stdout, new RegExp(`✓ NATS stream '${STREAM}' retention matches \\(max_age 1d, `));

    await manager.streams.update(STREAM, { ...(await manager.streams.info(STREAM)).config, max_age: 0 });
    await connection.close();
    const differs = await run(["env", "apply", file, "--yes"]);
    assert.match(
      differs.stdout,
      new RegExp(
        `! NATS stream '${STREAM}' retention differs: max_age unlimited → 1d \\(the connector updates`,
      ),
    );
  });
});
