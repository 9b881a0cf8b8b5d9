// Runs a task many times with a fixed number of concurrent workers, always bounded in count AND time,
// so that no load loop in a test or benchmark can run away.

export interface BoundedLoadOptions {
  /** Upper bound on task invocations. */
  count: number;
  /** Workers running tasks at once. */
  concurrency: number;
  /** Stop starting new tasks after this many ms (tasks in flight still finish). */
  maxDurationMs: number;
  /** Stop starting new tasks when aborted. */
  signal?: AbortSignal;
  /** The work; `index` runs from 0 to count-1, each value once. A rejection stops the whole load. */
  task(index: number): Promise<void>;
}

export interface BoundedLoadResult {
  /** How many tasks were started (and finished). */
  started: number;
  elapsedMs: number;
  /** Why starting stopped. */
  stoppedBy: 'count' | 'time' | 'signal';
}

export async function runBoundedLoad(opts: BoundedLoadOptions): Promise<BoundedLoadResult> {
  const start = performance.now();
  let next = 0;
  let stoppedBy: BoundedLoadResult['stoppedBy'] = 'count';
  const worker = async (): Promise<void> => {
    for (;;) {
      if (next >= opts.count) return;
      if (opts.signal?.aborted) {
        stoppedBy = 'signal';
        return;
      }
      if (performance.now() - start >= opts.maxDurationMs) {
        stoppedBy = 'time';
        return;
      }
      const index = next++;
      await opts.task(index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.count)) }, worker);
  await Promise.all(workers);
  return { started: next, elapsedMs: performance.now() - start, stoppedBy };
}
