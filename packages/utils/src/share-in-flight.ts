/**
 * Joins the work already in flight in `holder[key]`, or starts it there: every caller that arrives while
 * it runs gets the same promise, and the slot empties once it settles (only if it still holds that
 * promise). Prevents a burst of callers in one object or isolate from repeating one GitHub or git-token
 * call — the rule that was written by hand in each Durable Object.
 */
export function shareInFlight<K extends PropertyKey, T>(
  holder: { [P in K]?: Promise<NoInfer<T>> | undefined },
  key: K,
  start: () => Promise<T>,
): Promise<T> {
  const running = holder[key];
  if (running !== undefined) return running;
  const started: Promise<T> = start().finally(() => {
    if (holder[key] === started) holder[key] = undefined;
  });
  holder[key] = started;
  return started;
}
