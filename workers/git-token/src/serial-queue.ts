/**
 * Runs async work one piece at a time, in arrival order. A Durable Object lets other calls in while it
 * awaits I/O, so work that must not interleave (a person's connect and disconnect) is queued here.
 * A failed piece does not stop the queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
