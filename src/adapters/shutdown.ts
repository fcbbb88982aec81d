/**
 * SIGTERM/SIGINT → one graceful stop, then `exit` with 0 (or 1 if the stop failed). A second
 * signal exits 1 at once through `force` (default process.exit), whatever the stop is waiting for.
 */
export function onShutdown(
  stop: (signal: string) => Promise<void>,
  exit: (code: number) => void = process.exit,
  force: (code: number) => void = process.exit,
): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return force(1);
    stopping = true;
    stop(signal).then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on("SIGTERM", () => handler("SIGTERM"));
  process.on("SIGINT", () => handler("SIGINT"));
}
