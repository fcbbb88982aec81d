/**
 * GET /datasets/{feed}/{date}/stream: the day as NDJSON, one archive line per record (rt, seq,
 * subject, msg — the same bytes as the archive). Lines are written in batches; when the socket's
 * buffer is full the reader waits for 'drain' (backpressure), and a client that goes away stops
 * the reader and closes the file.
 */
import type { ServerResponse } from "node:http";
import { readArchive } from "../../adapters/archive-reader/archive-reader.js";
import type { ApiMetrics } from "./api-metrics.js";
import type { DatasetCatalog } from "./dataset-catalog.js";
import type { Route } from "./http-router.js";
import { parseTickers, parseTimeOfDay, parseTypeFilter } from "./params.js";
import { validatedDay } from "./routes-datasets.js";

const BATCH_BYTES = 128 * 1024;

function waitForDrain(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (drained: boolean) => {
      res.off("drain", onDrain);
      res.off("close", onClose);
      resolve(drained);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on("drain", onDrain);
    res.on("close", onClose);
  });
}

export function streamRoute(catalog: DatasetCatalog, metrics: ApiMetrics): Route {
  return {
    pattern: "/datasets/{feed}/{date}/stream",
    auth: true,
    streams: true,
    handle: async (ctx) => {
      const { feed, date } = await validatedDay(catalog, ctx);
      const q = ctx.query;
      const reader = readArchive(catalog.store, {
        feed,
        fromDate: date,
        toDate: date,
        ...parseTypeFilter(q.get("type") ?? undefined),
        tickers: parseTickers(q.get("ticker") ?? undefined),
        fromUs: parseTimeOfDay(q.get("from") ?? undefined, date, "from"),
        toUs: parseTimeOfDay(q.get("to") ?? undefined, date, "to"),
      });
      const { res } = ctx;
      let gone = false;
      res.once("close", () => {
        if (!res.writableFinished) {
          gone = true;
          void reader.close();
        }
      });
      res.writeHead(200, {
        "content-type": "application/x-ndjson; charset=utf-8",
        "cache-control": "no-store",
      });
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let records = 0;
      const flush = async () => {
        if (pending.length === 0) return true;
        const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        metrics.streamedBytes.inc({ feed }, pendingBytes);
        pending = [];
        pendingBytes = 0;
        return res.write(chunk) || (await waitForDrain(res));
      };
      for await (const batch of reader.rawBatches()) {
        for (const bytes of batch.bytes) {
          pending.push(bytes);
          pendingBytes += bytes.length;
        }
        records += batch.lines;
        if (pendingBytes >= BATCH_BYTES && !(await flush())) break;
        if (gone) break;
      }
      metrics.streamedRecords.inc({ feed }, records);
      metrics.readProblems.inc({ feed, kind: "bad_line" }, reader.stats.badLines);
      metrics.readProblems.inc({ feed, kind: "corrupt_file" }, reader.stats.corruptFiles.length);
      if (gone || res.destroyed) {
        metrics.streamsAborted.inc({ feed });
        await reader.close();
        return undefined;
      }
      await flush();
      res.end();
      return undefined;
    },
  };
}
