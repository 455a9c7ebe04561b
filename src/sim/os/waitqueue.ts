/**
 * A wait queue (Linux's wait_queue_head_t): callers blocked until something changes register
 * here and are poked to retry when it does. Sockets have one; so do threads (for join), locks
 * and message queues. Pure data.
 */

/** A blocked call: `poke` makes it retry (after the host's wake-up delay). */
export interface Waiter {
  poke(): void;
}

/** Anything a blocked call can wait on. */
export interface Waitable {
  addWaiter(w: Waiter): void;
  removeWaiter(w: Waiter): void;
}

export class WaitQueue implements Waitable {
  private readonly waiters = new Set<Waiter>();

  addWaiter(w: Waiter): void {
    this.waiters.add(w);
  }

  removeWaiter(w: Waiter): void {
    this.waiters.delete(w);
  }

  /** Something changed: every waiter retries. */
  notify(): void {
    for (const w of this.waiters) w.poke();
  }
}
