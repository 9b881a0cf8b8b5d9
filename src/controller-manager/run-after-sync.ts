// The usual body of Controller.run: wait for the informers' caches, then run the worker loop until the
// signal aborts (upstream's WaitForNamedCacheSync followed by wait.Until(worker) per worker).
import { runWorkers, waitForCacheSync, type WorkerLoopOptions } from './worker-loop.js';

export interface RunAfterSyncOptions extends WorkerLoopOptions {
  /** The informers (or registrations) whose first lists must be cached before any sync. */
  hasSynced: Array<() => boolean>;
}

/**
 * Waits for every `hasSynced`, logs "Starting controller" and runs the workers. When `signal` aborts while
 * waiting it shuts the queue down and resolves without syncing anything.
 */
export async function runAfterCacheSync(opts: RunAfterSyncOptions): Promise<void> {
  try {
    await waitForCacheSync({ signal: opts.signal, clock: opts.clock }, ...opts.hasSynced);
  } catch {
    opts.queue.shutDown();
    return;
  }
  opts.logger.info('Starting controller', { controller: opts.name, workers: opts.workers });
  await runWorkers(opts);
}
