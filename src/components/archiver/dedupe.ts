/**
 * Deduplication by Nats-Msg-Id within a UTC day, in bounded memory: one insertion-ordered set per
 * day, capped (the oldest ids are forgotten first and counted). The ids of each sealed file are
 * appended to `{stateDir}/{date}.ids`, so a restart rebuilds the day's set from disk.
 * Redeliveries of one stream message are caught earlier, by stream sequence (seq-ledger.ts).
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export class DayDedupe {
  private readonly days = new Map<string, Set<string>>();
  evicted = 0;

  constructor(
    private readonly stateDir: string,
    private readonly maxIds: number,
  ) {}

  /** Loads a day's persisted ids (once); keeps at most two days in memory. */
  async load(date: string): Promise<void> {
    if (this.days.has(date)) return;
    const ids = new Set<string>();
    const text = await readFile(this.pathOf(date), "utf8").catch(() => "");
    for (const id of text.split("\n")) if (id) this.insert(ids, id);
    this.days.set(date, ids);
    for (const day of [...this.days.keys()].sort().slice(0, -2)) this.days.delete(day);
  }

  /** True when the id was already seen this day; otherwise remembers it. Call load(date) first. */
  seen(date: string, id: string): boolean {
    const ids = this.days.get(date);
    if (!ids) return false;
    if (ids.has(id)) return true;
    this.insert(ids, id);
    return false;
  }

  /** Persists the ids of a sealed file. */
  async persist(date: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await mkdir(this.stateDir, { recursive: true });
    await appendFile(this.pathOf(date), `${ids.join("\n")}\n`);
  }

  private insert(ids: Set<string>, id: string): void {
    ids.add(id);
    if (ids.size <= this.maxIds) return;
    const oldest = ids.values().next().value;
    if (oldest !== undefined) ids.delete(oldest);
    this.evicted++;
  }

  private pathOf(date: string): string {
    return join(this.stateDir, `${date}.ids`);
  }
}
