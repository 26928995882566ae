import { awaitShared } from "@gitcred/utils";

/**
 * Shares one in-flight promise per key among concurrent callers in this isolate, so a burst of calls
 * for the same thing makes one GitHub request (GitHub calls are the scarce resource). Only a
 * deduplication: callers in other isolates may still do the same work, and correctness never depends on it.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    // A joiner waits on another request's promise: with a timer of its own, or workerd cancels it as hung.
    if (existing !== undefined) return awaitShared(existing);
    const promise = work().finally(() => {
      this.inFlight.delete(key);
    });
    this.inFlight.set(key, promise);
    return promise;
  }
}
