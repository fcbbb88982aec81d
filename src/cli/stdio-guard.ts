/**
 * `ssmd data list | head` closes our stdout early: that is the reader's choice, not an error.
 * An EPIPE on stdout/stderr ends the process quietly with exit 0 instead of crashing.
 */
export function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
}
