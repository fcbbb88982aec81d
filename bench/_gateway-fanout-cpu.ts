/**
 * CPU time of the processes in bench/gateway-fanout.ts, so a run shows where the machine's
 * cores went (gateway, clients, nats-server, publisher) and whether the clients limited it.
 * Linux /proc only; elsewhere the figures are null.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far, or undefined when it cannot be read. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The pid of the nats-server listening on `port` (started by the test helper), if found. */
export function natsServerPid(port: number): number | undefined {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args[0]?.endsWith("nats-server") && args.includes(String(port))) return Number(entry);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** CPU seconds of this process (the publisher). */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Share of one core used between two readings over `seconds`, rounded; null when unknown. */
export function coreShare(before: number | undefined, after: number | undefined, seconds: number) {
  if (before === undefined || after === undefined || seconds <= 0) return null;
  return Math.round(((after - before) / seconds) * 100) / 100;
}
