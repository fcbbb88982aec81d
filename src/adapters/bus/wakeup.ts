/**
 * A level-free wake-up signal: `wait()` resolves on the next `wake()` or after an optional
 * timeout. Used by pull loops that must also end promptly when their stream is closed.
 */
export class Wakeup {
  private waiters = new Set<() => void>();

  wait(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs))
        timer = setTimeout(done, Math.max(0, timeoutMs));
    });
  }

  wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiting) resolve();
  }
}
