/** Reading what the archiver wrote, for archiver tests: sealed lines, manifests, tmp files. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Bus } from "../../src/adapters/bus/types.js";

export interface ArchivedLine {
  rt: number;
  seq: number;
  subject: string;
  msg: unknown;
  file: string;
}

/** Every line of every sealed file under {root}/{feed}, parsed with JSON.parse (as `jq` would). */
export async function readSealedLines(root: string, feed: string): Promise<ArchivedLine[]> {
  const out: ArchivedLine[] = [];
  const dates = (await readdir(join(root, feed)).catch(() => [] as string[]))
    .filter((d) => /^\d{4}-/.test(d))
    .sort();
  for (const date of dates) {
    const names = (await readdir(join(root, feed, date))).filter((n) => n.endsWith(".jsonl.gz")).sort();
    for (const name of names) {
      const text = gunzipSync(await readFile(join(root, feed, date, name))).toString("utf8");
      for (const line of text.split("\n")) {
        if (line === "") continue;
        const value = JSON.parse(line) as Omit<ArchivedLine, "file">;
        out.push({ ...value, file: `${date}/${name}` });
      }
    }
  }
  return out;
}

export async function readManifest(
  root: string,
  feed: string,
  date: string,
): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(root, feed, date, "manifest.json"), "utf8")) as Record<
    string,
    unknown
  >;
}

export async function listTmpFiles(root: string, feed: string): Promise<string[]> {
  const dates = await readdir(join(root, feed)).catch(() => [] as string[]);
  const out: string[] = [];
  for (const date of dates) {
    for (const name of await readdir(join(root, feed, date)).catch(() => [] as string[])) {
      if (name.endsWith(".tmp")) out.push(`${date}/${name}`);
    }
  }
  return out;
}

/** A Kalshi-like trade frame (current wire format). */
export function tradeFrame(i: number, ticker = "KXBTCD-26NOV21-T67749.99"): string {
  const price = 1000 + ((i * 37) % 8000);
  return JSON.stringify({
    type: "trade",
    sid: 2,
    seq: i + 1,
    msg: {
      trade_id: `t-${i}`,
      market_ticker: ticker,
      yes_price_dollars: (price / 10_000).toFixed(4),
      no_price_dollars: ((10_000 - price) / 10_000).toFixed(4),
      count_fp: `${(i % 500) + 1}.00`,
      taker_outcome_side: i % 2 === 0 ? "yes" : "no",
      ts: 1_763_700_000 + Math.floor(i / 10),
    },
  });
}

/** Publishes `count` trades with Nats-Msg-Id and Ssmd-Recv-Us headers; returns their ids. */
export async function publishTrades(
  bus: Bus,
  prefix: string,
  from: number,
  count: number,
  rtUs: (i: number) => number,
): Promise<string[]> {
  const encoder = new TextEncoder();
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const id = `t-${i}`;
    const subject = `${prefix}.json.trade.KXBTCD-26NOV21-T67749_99`;
    await bus.publish(subject, encoder.encode(tradeFrame(i)), {
      msgId: id,
      headers: { "Ssmd-Recv-Us": String(rtUs(i)) },
    });
    ids.push(id);
  }
  return ids;
}
