/**
 * What every command receives: the environment read once here at the entry point, the output
 * streams and whether colour/progress are allowed. Commands never read process.env themselves.
 */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** stdout is a terminal: tables may use colour, long work may show progress. */
  isTTY: boolean;
  color: boolean;
}

export function createContext(): CliContext {
  const isTTY = Boolean(process.stdout.isTTY);
  const env = { ...process.env };
  return {
    env,
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY,
    color: isTTY && env.NO_COLOR === undefined && env.TERM !== "dumb",
  };
}
