// The life of a typical controller's `run`: wait for its informers' first lists, then run workers on its
// queue until the signal aborts — shared so every controller starts, logs and stops the same way.
import type { DeletedFinalStateUnknown } from '../client/cache/interface.js';
import { isDeletedFinalStateUnknown } from '../client/cache/keys.js';
import type { KubeObject } from '../client/rest/interface.js';
import { isNamespaceTerminating, runWorkers, waitForCacheSync, type WorkerLoopOptions } from './worker-loop.js';

/**
 * Waits until every `hasSynced` is true, then runs `workers` workers (errors from writes into terminating
 * namespaces are not retried). When the signal aborts during the wait the queue is shut down and this
 * resolves at once.
 */
export async function runSyncedWorkers(opts: Omit<WorkerLoopOptions, 'isIgnorable'> & { hasSynced: Array<() => boolean> }): Promise<void> {
  try {
    await waitForCacheSync({ signal: opts.signal, clock: opts.clock }, ...opts.hasSynced);
  } catch {
    opts.queue.shutDown();
    return;
  }
  opts.logger.info('Starting controller', { controller: opts.name, workers: opts.workers });
  await runWorkers({ ...opts, isIgnorable: isNamespaceTerminating });
}

/** The object of a delete notification, whether it came as is or as a tombstone. */
export function deletedObject<T extends KubeObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return isDeletedFinalStateUnknown(obj) ? obj.obj : obj;
}
