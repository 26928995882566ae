/**
 * `work` on each id, at most `concurrency` at a time, with each id's result (undefined where `work`
 * threw): one failed session call must not stop the rest of an "end all" or of an alarm's expiries.
 */
export async function eachInBatches<R>(
  ids: readonly string[],
  concurrency: number,
  work: (id: string) => Promise<R>,
): Promise<{ id: string; result: R | undefined }[]> {
  const out: { id: string; result: R | undefined }[] = [];
  for (let i = 0; i < ids.length; i += concurrency) {
    const batch = ids.slice(i, i + concurrency);
    const results = await Promise.all(batch.map((id) => work(id).catch((): undefined => undefined)));
    batch.forEach((id, j) => {
      out.push({ id, result: results[j] });
    });
  }
  return out;
}
