// upstream slowStartBatch: create many objects in growing batches (1, 2, 4, …) so that a controller whose
// creates all fail (quota, admission, a bad template) learns it after one request instead of hundreds.

/**
 * Calls `fn` `count` times, in parallel batches that start at `initialBatchSize` and double after every
 * fully successful batch. Stops after the first batch with a failure. Returns how many calls succeeded and
 * the first error, if any; calls of later batches are never made once a batch failed.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: (index: number) => Promise<void>,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    let error: unknown;
    let failed = false;
    for (const r of results) {
      if (r.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = r.reason;
      }
    }
    if (failed) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}
