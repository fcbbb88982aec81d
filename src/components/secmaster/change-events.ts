/**
 * Change events on the bus: one message per changed entity on `{prefix}.secmaster.{ticker}`
 * (event and series changes use their own ticker). The database is the source of truth, so a
 * publish failure is counted and logged, and the write it describes stays committed.
 */
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { secmasterSubject } from "../../core/subjects.js";
import type { EntityChange } from "./entity-writer.js";
import type { SecmasterMetrics } from "./metrics.js";

export interface ChangeSink {
  publish(changes: EntityChange[]): Promise<void>;
}

export interface ChangeEvent {
  type: "secmaster_change";
  entity: EntityChange["entity"];
  ticker: string;
  change: EntityChange["kind"];
  source: string;
  at: string;
  fields: Record<string, { old: string | null; new: string | null }>;
}

export function changeEventOf(change: EntityChange): ChangeEvent {
  return {
    type: "secmaster_change",
    entity: change.entity,
    ticker: change.key,
    change: change.kind,
    source: change.source,
    at: change.at,
    fields: Object.fromEntries(
      change.fields.map((field) => [field.field, { old: field.old, new: field.new }]),
    ),
  };
}

export function busChangeSink(
  bus: Bus,
  prefix: string,
  logger: Logger,
  metrics: SecmasterMetrics,
): ChangeSink {
  const encoder = new TextEncoder();
  return {
    async publish(changes) {
      for (const change of changes) {
        const event = changeEventOf(change);
        const msgId = `${change.entity}:${change.key}:${change.at}:${change.fields.map((f) => f.field).join(",")}`;
        try {
          await bus.publish(secmasterSubject(prefix, change.key), encoder.encode(JSON.stringify(event)), {
            msgId,
          });
          metrics.published.inc({ result: "ok" });
        } catch (error) {
          metrics.published.inc({ result: "failed" });
          logger.warn("change event not published", { ticker: change.key, error });
        }
      }
    },
  };
}
