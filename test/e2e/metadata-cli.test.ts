/**
 * The metadata workflow from the issue, through the real `ssmd` binary on a temp directory with a
 * real git repository: init, create a feed, register a schema, create and validate an
 * environment, break a reference, commit, change, and read history/diff/as-of from git.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type CliResult, runSsmd } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

let home: { path: string; cleanup: () => Promise<void> };
let ex: string;

function gitEnv(date?: string): Record<string, string> {
  const env: Record<string, string> = {
    HOME: home.path,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Ada Operator",
    GIT_AUTHOR_EMAIL: "ada@example.com",
    GIT_COMMITTER_NAME: "Ada Operator",
    GIT_COMMITTER_EMAIL: "ada@example.com",
    SSMD_EXCHANGES: "",
  };
  if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return env;
}

function ssmd(args: string[], date?: string): Promise<CliResult> {
  return runSsmd([...args, "--dir", ex], { cwd: home.path, env: gitEnv(date) });
}

function ok(result: CliResult): CliResult {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

const FILLS = `@0xc1d2e3f405060708;
struct Fill {
  ticker @0 :Text;
  price @1 :Int64;
}
`;

before(async () => {
  home = await tempDir("ssmd-e2e-meta-");
  ex = join(home.path, "exchanges");
});
after(() => home.cleanup());

describe("ssmd metadata commands (real binary, real git)", () => {
  it("init bootstraps the tree, runs git init, and validates", async () => {
    const init = ok(await ssmd(["init"]));
    assert.match(init.stdout, /created feeds\/kalshi\.yaml/);
    assert.match(init.stdout, /git init/);
    assert.ok(existsSync(join(ex, ".git")));
    assert.ok(existsSync(join(ex, "schemas", "orderbook.v1.capnp")));
    assert.match(ok(await ssmd(["validate"])).stdout, /2 feeds, 4 schemas, 4 environments valid/);
    const again = ok(await ssmd(["init"]));
    assert.match(again.stdout, /kept {4}feeds\/kalshi\.yaml \(exists\)/);
    assert.doesNotMatch(again.stdout, /created/);
  });

  it("feed list/show answer with --json and --as-of", async () => {
    const feeds = JSON.parse(ok(await ssmd(["feed", "list", "--json"])).stdout) as { name: string }[];
    assert.deepEqual(
      feeds.map((f) => f.name),
      ["kalshi", "kalshi-sim"],
    );
    const old = JSON.parse(
      ok(await ssmd(["feed", "show", "kalshi", "--as-of", "2025-09-01", "--json"])).stdout,
    );
    assert.equal(old.version.endpoint, "wss://api.elections.kalshi.com/trade-api/ws/v2");
    const now = ok(await ssmd(["feed", "show", "kalshi", "--as-of", "2026-05-07"]));
    assert.match(now.stdout, /endpoint: wss:\/\/external-api-ws\.kalshi\.com\/trade-api\/ws\/v2/);
    const typo = await ssmd(["feed", "show", "kalsh"]);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /unknown feed 'kalsh'\. Did you mean 'kalshi'\?/);
    assert.match(typo.stderr, /valid feeds: kalshi, kalshi-sim/);
  });

  it("creates a feed and adds a dated version (round-trip)", async () => {
    ok(
      await ssmd([
        "feed",
        "create",
        "polymarket",
        "--endpoint",
        "wss://ws.poly.example/v1",
        "--rest-endpoint",
        "https://api.poly.example/v1",
        "--effective-from",
        "2026-01-01",
      ]),
    );
    ok(
      await ssmd([
        "feed",
        "add-version",
        "polymarket",
        "--effective-from",
        "2026-03-01",
        "--endpoint",
        "wss://ws2.poly.example/v1",
        "--rest-endpoint",
        "https://api2.poly.example/v1",
      ]),
    );
    const text = await readFile(join(ex, "feeds", "polymarket.yaml"), "utf8");
    assert.match(text, /effective_from: 2026-01-01\n {4}effective_to: 2026-03-01\n/);
    const overlap = await ssmd([
      "feed",
      "add-version",
      "polymarket",
      "v9",
      "--effective-from",
      "2026-02-01",
      "--endpoint",
      "wss://x.example",
      "--rest-endpoint",
      "https://x.example",
    ]);
    assert.equal(overlap.code, 1);
    assert.match(overlap.stderr, /overlaps version/);
    assert.equal(await readFile(join(ex, "feeds", "polymarket.yaml"), "utf8"), text, "nothing written");
  });

  it("registers a schema, refuses a draft reference, then creates and validates an environment", async () => {
    await writeFile(join(home.path, "fills.capnp"), FILLS);
    const registered = ok(
      await runSsmd(
        ["schema", "register", "fills", "--file", "fills.capnp", "--format", "capnp", "--dir", ex],
        { cwd: home.path, env: gitEnv() },
      ),
    );
    assert.match(registered.stdout, /registered fills:v1 \(capnp, draft/);
    const create = [
      "env",
      "create",
      "kalshi-test",
      "--feed",
      "kalshi",
      "--schema",
      "fills:v1",
      "--transport.type",
      "nats",
      "--transport.url",
      "nats://127.0.0.1:4222",
      "--transport.stream",
      "TEST_KALSHI",
      "--storage.type",
      "local",
      "--storage.path",
      "./data",
      "--key-source",
      "env:KALSHI_API_KEY,KALSHI_PRIVATE_KEY",
    ];
    const refused = await ssmd(create);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /schema 'fills:v1' is draft/);
    assert.ok(!existsSync(join(ex, "environments", "kalshi-test.yaml")));
    ok(await ssmd(["schema", "set-status", "fills:v1", "active"]));
    ok(await ssmd(create));
    const shown = JSON.parse(ok(await ssmd(["env", "show", "kalshi-test", "--json"])).stdout);
    assert.equal(shown.transport.subject_prefix, "kalshi-test.kalshi");
    assert.match(
      ok(await ssmd(["env", "validate", join(ex, "environments", "kalshi-test.yaml")])).stdout,
      /✓ Feed 'kalshi' exists and is active/,
    );
  });

  it("a broken reference fails validation with a suggestion, and commit refuses", async () => {
    const path = join(ex, "environments", "kalshi-test.yaml");
    const good = await readFile(path, "utf8");
    await writeFile(path, good.replace("feed: kalshi", "feed: kalshii"));
    const result = await ssmd(["validate"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /kalshi-test\.yaml:2 feed: unknown feed 'kalshii'\. Did you mean 'kalshi'\?/);
    const single = await runSsmd(["validate", path], { cwd: home.path, env: gitEnv() });
    assert.equal(single.code, 1);
    assert.match(single.stderr, /kalshi-test\.yaml: 1 problem/);
    const commit = await ssmd(["commit", "-m", "broken"]);
    assert.equal(commit.code, 1);
    assert.match(commit.stderr, /refusing to commit/);
    await writeFile(path, good);
  });

  it("commits, changes, and answers history, diff and --as-of from git", async () => {
    assert.match(ok(await ssmd(["diff", "--stat"])).stdout, /\?\? environments\/kalshi-test\.yaml/);
    ok(await ssmd(["commit", "-m", "initial metadata"], "2026-01-10T12:00:00Z"));
    ok(await ssmd(["env", "update", "kalshi-test", "--transport.stream", "TEST2_KALSHI"]));
    const diff = ok(await ssmd(["diff"]));
    assert.match(diff.stdout, /-\s+stream: TEST_KALSHI\n\+\s+stream: TEST2_KALSHI/);
    ok(await ssmd(["commit", "-m", "kalshi-test: new stream"], "2026-02-10T12:00:00Z"));
    assert.match(ok(await ssmd(["commit", "-m", "again"])).stdout, /nothing to commit/);

    const history = JSON.parse(ok(await ssmd(["env", "history", "kalshi-test", "--json"])).stdout);
    assert.deepEqual(
      history.map((v: { version: number; message: string }) => [v.version, v.message]),
      [
        [1, "initial metadata"],
        [2, "kalshi-test: new stream"],
      ],
    );
    assert.equal(history[0].author, "Ada Operator <ada@example.com>");

    const versions = ok(await ssmd(["env", "diff", "kalshi-test", "--v1", "1", "--v2", "2"]));
    assert.match(versions.stdout, /-\s+stream: TEST_KALSHI\n\+\s+stream: TEST2_KALSHI/);
    const missing = await ssmd(["env", "diff", "kalshi-test", "--v1", "1", "--v2", "3"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /unknown environment 'kalshi-test' version '3'/);

    assert.match(
      ok(await ssmd(["env", "show", "kalshi-test", "--as-of", "2026-01-20"])).stdout,
      /stream: TEST_KALSHI\n/,
    );
    assert.match(
      ok(await ssmd(["env", "show", "kalshi-test", "--as-of", "2026-02-10"])).stdout,
      /stream: TEST2_KALSHI\n/,
    );
    const before = await ssmd(["env", "show", "kalshi-test", "--as-of", "2025-12-31"]);
    assert.equal(before.code, 1);
    assert.match(before.stderr, /no committed version on or before 2025-12-31/);
  });

  it("finds a changed schema file and records an intended change with hash --update", async () => {
    await appendFile(join(ex, "schemas", "trade.v1.capnp"), "# a comment\n");
    const result = await ssmd(["validate"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /trade\.yaml:\d+ versions\[0\]\.sha256: hash of 'trade\.v1\.capnp' changed/);
    ok(await ssmd(["schema", "hash", "trade:v1", "--update"]));
    ok(await ssmd(["validate"]));
    const list = JSON.parse(ok(await ssmd(["schema", "list", "--json"])).stdout) as {
      name: string;
      version: string;
    }[];
    assert.ok(list.some((s) => s.name === "fills" && s.version === "v1"));
  });

  it("finds the tree through SSMD_EXCHANGES and ./exchanges, and every command has an example", async () => {
    const viaEnv = await runSsmd(["env", "list", "--json"], {
      cwd: "/",
      env: { ...gitEnv(), SSMD_EXCHANGES: ex },
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok((JSON.parse(viaEnv.stdout) as { name: string }[]).some((e) => e.name === "kalshi-test"));
    const viaCwd = await runSsmd(["feed", "list"], { cwd: home.path, env: gitEnv() });
    assert.match(viaCwd.stdout, /polymarket/);
    for (const command of [["feed", "add-version"], ["env", "apply"], ["commit"]]) {
      const help = await runSsmd([...command, "--help"]);
      assert.match(help.stdout, /Example:\n {2}ssmd /, command.join(" "));
    }
  });
});
