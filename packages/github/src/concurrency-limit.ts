/**
 * A counting semaphore for requests to GitHub. GitHub's secondary limits allow "no more than 100
 * concurrent requests" per identity; one isolate serving an agent fleet can open far more (a refresh
 * storm's callers all released at once), and GitHub then answers secondary limits to everyone. Waiters
 * are served in order; a waiter whose signal aborts (its timeout) leaves the queue without a slot.
 */
export interface ConcurrencyLimit {
  /** Waits for a slot; resolves to its release, or to undefined when `signal` aborted first. */
  acquire(signal: AbortSignal): Promise<(() => void) | undefined>;
  readonly inFlight: number;
  /** The most requests that were ever in flight at once (reported by the reliability run). */
  readonly peak: number;
  /** How many requests had to wait for a slot. */
  readonly queued: number;
}

/** Creates a limit of `max` concurrent holders. */
export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let inFlight = 0;
  let peak = 0;
  let queued = 0;
  const waiters: Array<() => void> = [];
  const take = (): (() => void) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      waiters.shift()?.();
    };
  };
  return {
    acquire(signal) {
      if (signal.aborted) return Promise.resolve(undefined);
      if (inFlight < max) return Promise.resolve(take());
      queued += 1;
      return new Promise((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve(take());
        };
        const onAbort = () => {
          const i = waiters.indexOf(wake);
          if (i >= 0) waiters.splice(i, 1);
          resolve(undefined);
        };
        waiters.push(wake);
        signal.addEventListener("abort", onAbort, { once: true });
      });
    },
    get inFlight() {
      return inFlight;
    },
    get peak() {
      return peak;
    },
    get queued() {
      return queued;
    },
  };
}
