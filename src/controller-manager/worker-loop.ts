// The worker loop every controller shares (client-go's processNextWorkItem + handleErr, controller-runtime's
// reconcile result): take a key, sync it, forget it on success, retry it rate-limited on failure, requeue
// it after a delay when the sync asks, and count every outcome.
import { isConflict } from '../apimachinery/errors.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { RateLimitingQueue } from '../client/workqueue/interface.js';
import type { ControllerMetrics, SyncOutcome } from './metrics.js';

/** What a successful sync may ask for: look at the key again after `requeueAfterMs` (time-based work). */
export interface SyncResult {
  requeueAfterMs?: number;
}

/**
 * A failure that retrying cannot fix (a bad selector, an unparsable spec): the worker loop logs it and
 * forgets the key instead of retrying. The next change to the object enqueues it again.
 */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

export interface WorkerLoopOptions {
  /** The controller's name, for logs and the `controller` metric label. */
  name: string;
  queue: RateLimitingQueue<string>;
  /**
   * Reconciles one key ("namespace/name"), level-based and idempotent: it reads the current state from
   * caches, acts, and returns. A rejection means "try again later" (rate limited) unless it is a
   * TerminalError or `isIgnorable` says so.
   */
  sync(key: string): Promise<SyncResult | void>;
  workers: number;
  signal: AbortSignal;
  logger: Logger;
  clock: Clock;
  metrics?: ControllerMetrics;
  /** Give up on a key after this many consecutive failures (upstream deployment: 15). Default: never. */
  maxRetries?: number;
  /** Errors that are expected and need no retry (e.g. writes into a terminating namespace). */
  isIgnorable?(err: unknown): boolean;
}

/**
 * Runs `workers` workers until `signal` aborts, then shuts the queue down and resolves once every worker
 * has finished the item it held. The queue guarantees that one key is never synced by two workers at once.
 */
export async function runWorkers(opts: WorkerLoopOptions): Promise<void> {
  const stop = (): void => opts.queue.shutDown();
  if (opts.signal.aborted) stop();
  else opts.signal.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.workers) }, () => worker(opts)));
  } finally {
    opts.signal.removeEventListener('abort', stop);
  }
}

async function worker(opts: WorkerLoopOptions): Promise<void> {
  for (;;) {
    const next = await opts.queue.get();
    if (next.shutdown) return;
    await processItem(opts, next.item);
  }
}

/** One key through sync, with the outcome mapped onto the queue. Never throws. */
export async function processItem(opts: WorkerLoopOptions, key: string): Promise<SyncOutcome> {
  const { queue, logger } = opts;
  const started = opts.clock.now();
  let outcome: SyncOutcome;
  try {
    const result = await opts.sync(key);
    queue.forget(key);
    if (result && result.requeueAfterMs !== undefined) {
      queue.addAfter(key, Math.max(0, result.requeueAfterMs));
      outcome = 'requeue_after';
    } else {
      outcome = 'success';
    }
  } catch (err) {
    if (err instanceof TerminalError || opts.isIgnorable?.(err)) {
      logger.v(2).info('Sync failed; not retrying', { controller: opts.name, key, err: String(err) });
      queue.forget(key);
      outcome = 'error';
    } else if (opts.maxRetries !== undefined && queue.numRequeues(key) >= opts.maxRetries) {
      logger.error('Dropping key out of the queue after too many retries', err, { controller: opts.name, key });
      queue.forget(key);
      outcome = 'dropped';
    } else {
      // Conflicts are the normal price of optimistic concurrency (a cache one write behind); the rest is news.
      if (isConflict(err)) logger.v(2).info('Sync failed; retrying', { controller: opts.name, key, err: String(err) });
      else logger.error('Sync failed; retrying', err, { controller: opts.name, key });
      queue.addRateLimited(key);
      outcome = 'error';
    }
  } finally {
    queue.done(key);
  }
  const seconds = (opts.clock.now() - started) / 1000;
  opts.metrics?.observeSync(opts.name, outcome, seconds);
  logger.v(4).info('Finished syncing', { controller: opts.name, key, duration: `${(seconds * 1000).toFixed(3)}ms`, outcome });
  return outcome;
}

/**
 * Waits until every `hasSynced` is true (the informers' first lists are in their caches), checking every
 * 100 ms on `clock`. Rejects with the signal's reason when aborted first.
 */
export async function waitForCacheSync(opts: { signal: AbortSignal; clock: Clock }, ...hasSynced: Array<() => boolean>): Promise<void> {
  while (!hasSynced.every((f) => f())) {
    await opts.clock.sleep(100, opts.signal);
  }
}

/**
 * A write refused because its namespace is being deleted (a Status cause of type NamespaceTerminating, as
 * upstream's NamespaceLifecycle admission sets it). Controllers treat it as done: the namespace controller
 * removes everything anyway.
 */
export function isNamespaceTerminating(err: unknown): boolean {
  // metav1.StatusCause's type travels as `reason` on the wire.
  const causes = (err as { status?: { details?: { causes?: Array<{ reason?: string }> } } } | undefined)?.status?.details?.causes;
  return causes?.some((c) => c.reason === 'NamespaceTerminating') ?? false;
}
