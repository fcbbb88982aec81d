/**
 * The dashboard in headless Chromium against the real pipeline (simulator → connector → bus →
 * gateway): the list loads with live numbers that change, search filters it, the status strip
 * shows the feed, a market page shows the order book, the tape and the chart. Screenshots go to
 * test-artifacts/. Chromium must be installed (/usr/bin/chromium or CHROMIUM_PATH).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { ROOT } from "../helpers/cli.js";
import { Publisher, waitUntil } from "../helpers/gateway-harness.js";
import { type Pipeline, startPipeline } from "./gateway-pipeline.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(ROOT, "test-artifacts");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Runs in the page: the data-ticker of each row. */
function rowTickers(rows: { getAttribute(name: string): string | null }[]): (string | null)[] {
  return rows.map((row) => row.getAttribute("data-ticker"));
}

describe("gateway dashboard in headless Chromium", () => {
  let pipeline: Pipeline;
  let browser: Browser;
  let page: Page;

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `Chromium not found at ${CHROMIUM}: install Debian 'chromium' or set CHROMIUM_PATH`,
    );
    await mkdir(ARTIFACTS, { recursive: true });
    pipeline = await startPipeline({ markets: 12, rate: 300 });
    const { gateway } = pipeline;
    await waitUntil(
      () => [...gateway.store.markets.values()].filter((m) => m.state === "live").length >= 5,
      "live books",
      15_000,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await pipeline?.stop();
  });

  it("lists markets with live numbers that change, and a status strip", async () => {
    await page.goto(pipeline.gateway.url);
    await page.waitForFunction(`document.querySelectorAll("#markets tbody tr").length >= 5`);
    const tableText = async () => (await page.locator("#markets tbody").textContent()) ?? "";
    const first = await tableText();
    assert.match(first, /0\.\d{4}/, "prices with 4 decimals");
    const before = JSON.stringify(await page.locator("#markets tbody").textContent());
    await page.waitForFunction(
      `document.querySelector("#markets tbody").textContent !== ${before}`,
      undefined,
      {
        timeout: 10_000,
      },
    );
    await page.waitForFunction(`document.getElementById("st-connector").textContent === "connected"`);
    await page.waitForFunction(`Number(document.getElementById("st-rate").textContent) > 0`, undefined, {
      timeout: 10_000,
    });
    assert.notEqual(await tableText(), first, "live numbers changed");
    await page.screenshot({ path: join(ARTIFACTS, "gateway-dashboard.png"), fullPage: true });
  });

  it("shows — (no price), not 0, for a market that never traded", async () => {
    const never = "KXNEVER-26NOV21-T1";
    await new Publisher(pipeline.bus, pipeline.prefix).data(
      "ticker",
      never,
      `{"type":"ticker","sid":9,"msg":{"market_ticker":"${never}","price_dollars":"0.0000","yes_bid_dollars":"0.0000","yes_ask_dollars":"1.0000","yes_bid_size_fp":"0.00","yes_ask_size_fp":"0.00","volume_fp":"0.00","open_interest_fp":"0.00","ts_ms":1700000000000}}`,
    );
    const row = `#markets tbody tr[data-ticker="${never}"]`;
    await page.waitForSelector(row, { timeout: 10_000 });
    const cells = await page.locator(`${row} td`).allTextContents();
    assert.deepEqual(cells.slice(1, 5), ["—", "—", "—", "0.00"], "bid, ask, last, volume");
  });

  it("filters the list by search", async () => {
    const ticker = await page.locator("#markets tbody tr").first().getAttribute("data-ticker");
    assert.ok(ticker);
    await page.fill("#search", ticker);
    await page.waitForFunction(
      `[...document.querySelectorAll("#markets tbody tr")].every((row) => row.dataset.ticker.includes(${JSON.stringify(ticker)}))`,
    );
    assert.deepEqual(await page.locator("#markets tbody tr").evaluateAll(rowTickers), [ticker]);
    await page.fill("#search", "");
  });

  it("opens a market page with an order book ladder, trades and a chart", async () => {
    const live = [...pipeline.gateway.store.markets.values()].filter(
      (m) => m.state === "live" && m.tradeCount > 0,
    );
    const market = live[0] ?? [...pipeline.gateway.store.markets.values()].find((m) => m.state === "live")!;
    await page.click(`#markets tbody tr[data-ticker="${market.symbol}"] a`);
    await page.waitForFunction(`!document.getElementById("market-view").hidden`);
    assert.equal(await page.locator("#market-title").textContent(), market.symbol);
    await page.waitForFunction(`document.querySelectorAll("#ladder tbody tr").length >= 2`, undefined, {
      timeout: 10_000,
    });
    const ladder = (await page.locator("#ladder tbody").textContent()) ?? "";
    assert.match(ladder, /0\.\d{4}/);
    assert.equal(await page.locator("#market-state").textContent(), "live");
    // The best-bid cell holds a 4-decimal price (the live value itself is not compared: the feed moves it).
    const bestBid = (await page.locator("#ladder tbody td.bid").nth(1).textContent()) ?? "";
    assert.match(bestBid, /^0\.\d{4}$/);
    await page.waitForFunction(`document.querySelectorAll("#tape tbody tr").length >= 1`, undefined, {
      timeout: 15_000,
    });
    await page.screenshot({ path: join(ARTIFACTS, "gateway-market.png"), fullPage: true });
    const chartPainted = await page.evaluate(`(() => {
      const canvas = document.getElementById("chart");
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      return data.some((value, index) => index % 4 === 3 && value > 0);
    })()`);
    assert.ok(chartPainted, "the price chart has something drawn");
  });
});
