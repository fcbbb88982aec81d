/**
 * Callers of Publisher.flush() waiting for everything to be acked: each waits until `wake()`
 * (the publisher went idle) or its own timeout, whichever comes first.
 */
export class IdleWaiters {
  private waiters: (() => void)[] = [];

  /** Resolves true when woken, false if `timeoutMs` passes first. */
  async wait(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true)));
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    return result;
  }

  wake(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
