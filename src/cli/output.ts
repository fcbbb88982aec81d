/** Tables, JSON and colour for command output. Colour only on a TTY (CliContext.color). */
import type { CliContext } from "./context.js";

export type Cell = string | number | boolean | null | undefined;

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(ctx: CliContext, text = ""): void {
  ctx.stdout.write(`${text}\n`);
}

/** A plain aligned table: header row, then one row per item. */
export function printTable(ctx: CliContext, headers: string[], rows: Cell[][]): void {
  const text = rows.map((row) =>
    row.map((cell) => (cell === null || cell === undefined ? "-" : String(cell))),
  );
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...text.map((row) => (row[i] ?? "").length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  printLine(ctx, paint(ctx, "bold", format(headers)));
  for (const row of text) printLine(ctx, format(row));
}

const CODES = {
  bold: [1, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  dim: [2, 22],
  cyan: [36, 39],
} as const;
export type Style = keyof typeof CODES;

export function paint(ctx: Pick<CliContext, "color">, style: Style, text: string): string {
  if (!ctx.color) return text;
  const [open, close] = CODES[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

export function check(ctx: CliContext, ok: boolean, text: string): string {
  return ok ? `${paint(ctx, "green", "✓")} ${text}` : `${paint(ctx, "red", "✗")} ${text}`;
}

/** A progress line on a TTY (rewritten in place); silent otherwise. */
export interface Progress {
  update(done: number, total?: number, label?: string): void;
  finish(label?: string): void;
}

export function createProgress(ctx: CliContext, title: string): Progress {
  if (!ctx.isTTY) return { update() {}, finish() {} };
  let last = 0;
  const render = (done: number, total: number | undefined, label: string | undefined) => {
    const share = total ? Math.min(1, done / total) : undefined;
    const bar = share === undefined ? "" : `[${"#".repeat(Math.round(share * 20)).padEnd(20)}] `;
    const count = total ? `${done}/${total}` : `${done}`;
    ctx.stderr.write(`\r${title} ${bar}${count}${label ? ` ${label}` : ""}\u001b[K`);
  };
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      render(done, total, label);
    },
    finish(label) {
      ctx.stderr.write(`\r${title} ${label ?? "done"}\u001b[K\n`);
    },
  };
}
