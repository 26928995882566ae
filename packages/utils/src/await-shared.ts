/** The timer functions `awaitShared` uses (injected by its test). */
export interface KeepAliveTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const runtimeTimers: KeepAliveTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How often a waiting request re-arms its own timer. */
export const KEEP_ALIVE_MS = 1_000;

/**
 * Awaits a promise that another request started (a shared in-flight load, a batch written by another
 * call), holding a timer of this request's own until it settles. workerd cancels a stateless request
 * that has no I/O or timer of its own pending once the thread goes idle ("The Workers runtime canceled
 * this request because it detected that your Worker's code had hung"), and a request that only waits on
 * another request's promise has none: in `pnpm bench` 5 of 11 runs lost a 200-caller refresh storm that
 * way before this, 0 of 10 after. Durable Objects do not need it (their requests may resolve each
 * other's promises); the timer never fires anything but itself and is cleared when `shared` settles.
 */
export function awaitShared<T>(shared: Promise<T>, timers: KeepAliveTimers = runtimeTimers): Promise<T> {
  let handle: unknown;
  let settled = false;
  const tick = () => {
    if (!settled) handle = timers.set(tick, KEEP_ALIVE_MS);
  };
  const stop = () => {
    settled = true;
    timers.clear(handle);
  };
  tick();
  // Registered before the caller's own await, so the timer is gone when the caller resumes; the promise
  // returned is `shared` itself, so joining adds no turn and callers wake in the order they always did.
  shared.then(stop, stop);
  return shared;
}
