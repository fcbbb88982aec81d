/**
 * Which stream sequences are already archived, as sorted disjoint ranges, persisted in an
 * append-only log ({stateDir}/seqs.log, "from-to" lines, compacted at load). A message whose
 * seq is in the ledger is a redelivery and is acked without writing it again. Ranges are added
 * in memory as lines are written and logged after the data is fsynced (before the ack); files
 * salvaged or re-scanned at start add their exact seqs, so a crash between the data fsync and
 * the log append cannot cause a duplicate. Bounded: beyond `maxRanges` the oldest holes close.
 *
 * Sequences only mean something within one incarnation of the stream: the log's first line
 * (`#stream epoch=N created=MS`) names the incarnation it belongs to. A deleted and recreated
 * stream starts a new epoch: the old log is kept as `seqs.epoch-N.log` and the ranges restart
 * empty (one atomic rename), so the new stream's 1, 2, ... are archived, not taken for redeliveries.
 */
import { appendFile, mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";

export type Range = [number, number];

/** Which stream incarnation the ledger's sequences belong to. */
export interface LedgerIdentity {
  epoch: number;
  /** The stream's creation time (Unix ms) when known. */
  createdMs: number | undefined;
}

const HEADER = /^#stream epoch=(\d+) created=(\d+|-)$/;

export class SeqLedger {
  private ranges: Range[] = [];
  private unlogged: Range[] = [];
  private readonly path: string;
  holesClosed = 0;
  identity: LedgerIdentity = { epoch: 0, createdMs: undefined };

  constructor(
    private readonly stateDir: string,
    private readonly maxRanges = 100_000,
  ) {
    this.path = join(stateDir, "seqs.log");
  }

  get highest(): number {
    return this.ranges[this.ranges.length - 1]?.[1] ?? 0;
  }

  async load(): Promise<void> {
    await mkdir(this.stateDir, { recursive: true });
    const text = await readFile(this.path, "utf8").catch(() => "");
    for (const line of text.split("\n")) {
      const header = HEADER.exec(line);
      if (header) this.identity = identityOf(header[1]!, header[2]!);
      const [a, b] = line.split("-").map(Number);
      if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) this.insert(a!, b!);
    }
    await this.rewrite();
  }

  /**
   * Records the stream's creation time when the ledger did not know it (same incarnation).
   * Call only when everything added is durable (the rewrite logs every range in memory).
   */
  async adopt(createdMs: number | undefined): Promise<void> {
    if (createdMs === undefined || this.identity.createdMs === createdMs) return;
    this.identity = { ...this.identity, createdMs };
    await this.rewrite();
  }

  /** A new stream incarnation: keeps the old log aside and restarts with no archived seqs. */
  async startEpoch(createdMs: number | undefined): Promise<void> {
    const old = this.identity.epoch;
    await rename(this.path, join(this.stateDir, `seqs.epoch-${old}.log`)).catch(() => undefined);
    this.identity = { epoch: old + 1, createdMs };
    this.ranges = [];
    this.unlogged = [];
    await this.rewrite();
  }

  has(seq: number): boolean {
    const last = this.ranges[this.ranges.length - 1];
    if (!last || seq > last[1]) return false;
    let low = 0;
    let high = this.ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (seq < a) high = mid - 1;
      else if (seq > b) low = mid + 1;
      else return true;
    }
    return false;
  }

  add(from: number, to = from): void {
    this.insert(from, to);
    const last = this.unlogged[this.unlogged.length - 1];
    if (last && from === last[1] + 1) last[1] = to;
    else this.unlogged.push([from, to]);
  }

  /** Appends what was added since the last call and fsyncs the log. */
  async persist(): Promise<void> {
    await this.persistRanges(this.takeUnlogged());
  }

  /** What was added since the last take (to persist once the matching data is durable). */
  takeUnlogged(): Range[] {
    const taken = this.unlogged;
    this.unlogged = [];
    return taken;
  }

  async persistRanges(ranges: Range[]): Promise<void> {
    if (ranges.length === 0) return;
    const body = ranges.map(([a, b]) => `${a}-${b}\n`).join("");
    await appendFile(this.path, body);
    const handle = await open(this.path, "r+");
    await handle.datasync().finally(() => handle.close());
  }

  /** Compacts: header + ranges written aside, fsynced, renamed over the log. */
  private async rewrite(): Promise<void> {
    const { epoch, createdMs } = this.identity;
    const header = `#stream epoch=${epoch} created=${createdMs ?? "-"}\n`;
    const body = header + this.ranges.map(([a, b]) => `${a}-${b}\n`).join("");
    await writeDurably(`${this.path}.compact`, body);
    await rename(`${this.path}.compact`, this.path);
    this.unlogged = [];
  }

  private insert(from: number, to: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (!last || from > last[1] + 1) this.ranges.push([from, to]);
    else if (from >= last[0]) last[1] = Math.max(last[1], to);
    else this.mergeInto(from, to);
    if (this.ranges.length > this.maxRanges) this.closeOldestHole();
  }

  private mergeInto(from: number, to: number): void {
    const kept: Range[] = [];
    let merged: Range = [from, to];
    for (const range of this.ranges) {
      if (range[1] + 1 < merged[0] || range[0] > merged[1] + 1) kept.push(range);
      else merged = [Math.min(range[0], merged[0]), Math.max(range[1], merged[1])];
    }
    kept.push(merged);
    this.ranges = kept.sort((x, y) => x[0] - y[0]);
  }

  private closeOldestHole(): void {
    const [first, second] = this.ranges;
    if (!first || !second) return;
    this.ranges.splice(0, 2, [first[0], second[1]]);
    this.holesClosed++;
  }
}

function identityOf(epoch: string, created: string): LedgerIdentity {
  return { epoch: Number(epoch), createdMs: created === "-" ? undefined : Number(created) };
}

async function writeDurably(path: string, body: string): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
