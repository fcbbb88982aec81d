/** `ssmd sim` through the real CLI binary (npm run build first): keys on disk, URLs, signed client, SIGTERM. */
import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { authHeaders } from "../../src/core/kalshi/sign.js";
import { runSsmd, spawnSsmd } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

function waitForLine(
  child: ReturnType<typeof spawnSsmd>,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern}; got: ${text}`)), timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n").find((candidate) => pattern.test(candidate));
      if (line) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe("ssmd sim (CLI)", () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  before(async () => {
    dir = await tempDir("ssmd-sim-cli-");
  });
  after(() => dir.cleanup());

  it("writes api-key and private-key.pem, prints URLs and exports, serves a signed client, exits 0 on SIGTERM", async () => {
    const child = spawnSsmd([
      "sim",
      "--port",
      "0",
      "--keys-dir",
      dir.path,
      "--rate",
      "200",
      "--markets",
      "10",
    ]);
    try {
      const output = await waitForLine(child, /^export KALSHI_API_KEY=/);
      const wsUrl = /ws\s+(ws:\/\/\S+)/.exec(output)?.[1];
      const restUrl = /rest\s+(http:\/\/\S+)/.exec(output)?.[1];
      assert.ok(wsUrl?.endsWith("/trade-api/ws/v2") && restUrl?.endsWith("/trade-api/v2"), output);
      const apiKey = (await readFile(join(dir.path, "api-key"), "utf8")).trim();
      const pem = await readFile(join(dir.path, "private-key.pem"), "utf8");
      assert.match(pem, /^-----BEGIN RSA PRIVATE KEY-----/);
      assert.ok(
        output.includes(
          `export KALSHI_API_KEY=${apiKey} KALSHI_PRIVATE_KEY_PATH=${join(dir.path, "private-key.pem")}`,
        ),
      );

      const markets = (await (await fetch(`${restUrl}/markets?status=open`)).json()) as {
        markets: { ticker: string }[];
      };
      assert.equal(markets.markets.length, 10);
      const headers = authHeaders(apiKey, createPrivateKey(pem), Date.now(), "GET", "/trade-api/ws/v2");
      const ws = new WebSocket(wsUrl!, { headers });
      const frames: Record<string, unknown>[] = [];
      ws.on("message", (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
      await new Promise((resolve, reject) => {
        ws.once("open", resolve);
        ws.once("error", reject);
      });
      ws.send(JSON.stringify({ id: 1, cmd: "subscribe", params: { channels: ["ticker", "trade"] } }));
      for (
        let waited = 0;
        frames.filter((f) => f.type === "ticker").length < 5 && waited < 10_000;
        waited += 100
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.ok(frames.filter((f) => f.type === "ticker").length >= 5, "ticker data flows");
      ws.terminate();
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      assert.equal(await exited, 0);
    }
  });

  it("reuses the key pair already in --keys-dir", async () => {
    const before = await readFile(join(dir.path, "api-key"), "utf8");
    const child = spawnSsmd(["sim", "--port", "0", "--keys-dir", dir.path, "--json"]);
    try {
      const output = await waitForLine(child, /"export"/);
      const info = JSON.parse(output.slice(output.indexOf("{\n"), output.indexOf("\n}") + 2)) as {
        apiKeyId: string;
      };
      assert.equal(info.apiKeyId, before.trim());
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("rejects bad options with exit 1 and every problem listed", async () => {
    const result = await runSsmd(["sim", "--format", "xml", "--markets", "0"]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /format must be current\|legacy/);
    assert.match(result.stderr, /markets must be 1\.\.100000/);
    const faults = await runSsmd(["sim", "--faults", "stal@1s"]);
    assert.equal(faults.code, 1);
    assert.match(faults.stderr, /Did you mean 'stall'/);
  });

  it("exits (non-zero, with the reason) when its port is taken, instead of hanging", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const result = await runSsmd(["sim", "--port", String(port), "--keys-dir", dir.path], {
        timeoutMs: 15_000,
      });
      assert.notEqual(result.code, -1, "killed by the timeout: the process did not exit");
      assert.equal(result.code, 5, "a taken port is a setup problem (exit 5), not an internal error (70)");
      assert.match(result.stderr, new RegExp(`cannot listen on .*:${port}: the port is already in use`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("documents itself with an example", async () => {
    const help = await runSsmd(["sim", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Example:\n {2}ssmd sim /);
    assert.match(help.stdout, /--faults/);
  });
});
