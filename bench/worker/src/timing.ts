/**
 * Timing inside workerd. Its clock advances only across I/O and in whole milliseconds (a Spectre
 * mitigation), so one sub-millisecond call cannot be timed on its own: a sample is the mean of `batch`
 * consecutive calls, which gives a resolution of 1/batch ms. Every figure in the report says so.
 */

/** Per-call milliseconds, one sample per batch of `batch` sequential runs of `work`. */
export async function sampleSequential(
  work: () => Promise<unknown>,
  samples: number,
  batch: number,
): Promise<number[]> {
  const out: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let i = 0; i < batch; i++) await work();
    out.push((performance.now() - start) / batch);
  }
  return out;
}

/** Runs `tasks` with at most `concurrency` in flight; returns each task's result in order. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task(i);
  });
  await Promise.all(lanes);
  return results;
}

/** The outcome class of an RPC result: "ok" or its failure reason. */
export function outcomeOf(result: unknown): string {
  if (typeof result !== "object" || result === null) return "not_an_object";
  const r = result as { ok?: unknown; reason?: unknown };
  if (r.ok === true) return "ok";
  return typeof r.reason === "string" ? r.reason : "malformed";
}
