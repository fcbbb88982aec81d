/**
 * Wires the generic Publisher to the connector: acks counted and timed (receive → ack latency),
 * retries and drops counted, and the loss record for a buffer overflow (ssmd_gap
 * publish_buffer_overflow with the count, time range and tickers of the dropped frames).
 */
import type { Bus } from "../../adapters/bus/types.js";
import type { Logger } from "../../adapters/log.js";
import { errorMessage } from "../../core/errors.js";
import { usToIso } from "../../core/gap-records.js";
import type { ConnectorMetrics } from "./metrics.js";
import type { Clock } from "./ports.js";
import { Publisher } from "./publisher.js";
import type { LossWindow, Outbound, PublisherOptions } from "./publisher-types.js";
import type { StatusRecords } from "./status-records.js";

export interface ConnectorPublisherContext {
  metrics: ConnectorMetrics;
  records: StatusRecords;
  clock: Clock;
  logger: Logger;
  /** Ssmd-Conn of loss records. */
  conn: string;
}

export function createConnectorPublisher(
  bus: Bus,
  options: PublisherOptions,
  context: ConnectorPublisherContext,
): Publisher {
  const { metrics, clock, logger } = context;
  const counts = metrics.counts;
  return new Publisher(bus, options, {
    nowUs: () => clock.nowUs(),
    onAck: (message, ack, nowUs) => {
      counts.published += 1;
      if (ack.duplicate) counts.duplicatesAcked += 1;
      metrics.ackLatency.observe((nowUs - message.recvUs) / 1e6);
    },
    onRetry: () => {
      counts.retries += 1;
    },
    onDrop: () => {
      counts.lost += 1;
    },
    lossRecord: (loss) => lossRecord(loss, context),
    onRejected: (message, error) => rejectedRecord(message, error, context),
    logger,
  });
}

function lossRecord(loss: LossWindow, context: ConnectorPublisherContext): Outbound {
  context.metrics.gap("publish_buffer_overflow");
  context.logger.error("publish buffer overflowed: frames lost", {
    lost: loss.lost,
    from: usToIso(loss.firstUs),
    to: usToIso(loss.lastUs),
  });
  return context.records.gap(
    {
      type: "ssmd_gap",
      reason: "publish_buffer_overflow",
      conn: context.conn,
      sid: null,
      fromSeq: null,
      toSeq: null,
      tickers: loss.tickers,
      startedUs: loss.firstUs,
      endedUs: loss.lastUs,
      lost: loss.lost,
    },
    context.clock.nowUs(),
  );
}

/** A frame the bus refused for good: counted, logged with its subject, and reported in the stream. */
function rejectedRecord(
  message: Outbound,
  error: unknown,
  context: ConnectorPublisherContext,
): Outbound | undefined {
  context.metrics.counts.lost += 1;
  context.metrics.error("publish_rejected");
  context.logger.error("publish refused by NATS: frame lost", {
    subject: message.subject,
    bytes: message.data.length,
    error: errorMessage(error),
  });
  if (message.subject.includes(".status.")) return undefined;
  context.metrics.gap("publish_rejected");
  return context.records.gap(
    {
      type: "ssmd_gap",
      reason: "publish_rejected",
      conn: context.conn,
      sid: null,
      fromSeq: null,
      toSeq: null,
      tickers: message.ticker ? [message.ticker] : [],
      startedUs: message.recvUs,
      endedUs: message.recvUs,
      lost: 1,
    },
    context.clock.nowUs(),
  );
}
