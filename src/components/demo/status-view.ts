/**
 * Text for `ssmd demo`: a one-screen status for a terminal, a compact line for logs, and the
 * final summary. Pure: snapshot (+ rates) in, string out.
 */
import type { DemoSnapshot, DemoSummary } from "./demo.js";

const CLEAR_SCREEN = "\x1b[H\x1b[2J";

export function renderScreen(snapshot: DemoSnapshot, rates: Record<string, number>, dir: string): string {
  const channels = Object.keys(snapshot.onBus.byChannel).sort();
  const rows = channels.map(
    (channel) =>
      `  ${channel.padEnd(20)} ${formatRate(rates[channel] ?? 0).padStart(10)}/s ${String(snapshot.onBus.byChannel[channel]).padStart(10)}`,
  );
  const totalRate = channels.reduce((sum, channel) => sum + (rates[channel] ?? 0), 0);
  return [
    CLEAR_SCREEN,
    `ssmd demo — ${formatElapsed(snapshot.elapsedMs)}   bus: ${snapshot.transport}   simulator: ${snapshot.simUrl}`,
    "",
    `dashboard ${snapshot.dashboardUrl}   (WebSocket ${snapshot.dashboardUrl.replace("http", "ws")}v1/stream)`,
    "",
    `markets ${snapshot.markets}   connections ${snapshot.connectedShards}/${snapshot.shards}   received ${snapshot.received}   published ${snapshot.published}`,
    "",
    `  ${"channel".padEnd(20)} ${"msgs/s".padStart(12)} ${"total".padStart(10)}`,
    ...rows,
    `  ${"all".padEnd(20)} ${formatRate(totalRate).padStart(10)}/s ${String(snapshot.onBus.total).padStart(10)}`,
    "",
    `archive ${dir}`,
    `  files sealed ${snapshot.filesSealed}   messages archived ${snapshot.archived}   lag ${snapshot.archiverLag}`,
    `  gaps ${snapshot.gaps}   duplicates dropped ${snapshot.duplicates}   open file ${snapshot.openFile ?? "-"}`,
    "",
    "Ctrl-C drains and seals everything.",
    "",
  ].join("\n");
}

/** One JSON log line for a non-terminal stdout. */
export function renderLogLine(snapshot: DemoSnapshot, rates: Record<string, number>): string {
  const perSecond = Object.fromEntries(Object.entries(rates).map(([key, value]) => [key, Math.round(value)]));
  return `${JSON.stringify({
    level: "info",
    ts: new Date().toISOString(),
    component: "demo",
    msg: "status",
    elapsed_s: Math.round(snapshot.elapsedMs / 1000),
    markets: snapshot.markets,
    dashboard: snapshot.dashboardUrl,
    msgs_per_s: perSecond,
    on_bus: snapshot.onBus.total,
    archived: snapshot.archived,
    files_sealed: snapshot.filesSealed,
    gaps: snapshot.gaps,
    duplicates: snapshot.duplicates,
  })}\n`;
}

export function renderSummary(summary: DemoSummary): string {
  const lines = [
    "",
    `ssmd demo stopped after ${formatElapsed(summary.elapsedMs)} (bus: ${summary.transport})`,
    `  markets ${summary.markets}, received ${summary.received}, published ${summary.published}`,
    `  archived ${summary.archived} messages in ${summary.files.length} sealed files` +
      ` (gaps ${summary.gaps}, duplicates dropped ${summary.duplicates})`,
    `  archive: ${summary.archiveDir}`,
    ...summary.files.map((file) => `    ${file}`),
    ...summary.manifests.map((file) => `    ${file}`),
    "",
    `Look inside: zcat ${summary.archiveDir}/${summary.files[0] ?? "<feed>/<date>/<HHMM>.jsonl.gz"} | head -3`,
    "",
  ];
  return lines.join("\n");
}

function formatRate(value: number): string {
  return value >= 100 ? String(Math.round(value)) : value.toFixed(1);
}

function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`;
}
