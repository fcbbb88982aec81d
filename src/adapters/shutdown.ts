/** SIGTERM/SIGINT → one graceful stop. A second signal forces exit. */
export function onShutdown(
  stop: (signal: string) => Promise<void>,
  exit: (code: number) => void = process.exit,
): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return exit(1);
    stopping = true;
    stop(signal).then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on("SIGTERM", () => handler("SIGTERM"));
  process.on("SIGINT", () => handler("SIGINT"));
}
