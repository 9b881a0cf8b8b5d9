// Periodic compaction of any Store, as the upstream apiserver does it: every interval, compact to the
// revision that was current one interval earlier, so at least one interval of history always remains.
import { realClock, type Clock } from '../base/clock.js';
import type { Store } from './interface.js';

export interface CompactorOptions {
  store: Store;
  /** Seconds of history to keep, and the period of the loop (--etcd-compaction-interval; default 300; 0 disables). */
  intervalSeconds?: number;
  /** Stops the loop; the returned promise then resolves. */
  signal: AbortSignal;
  clock?: Clock;
  /** Told about each compaction (for logs and metrics). */
  onCompacted?(revision: number): void;
  /** Told about failed rounds; the loop keeps going. */
  onError?(err: unknown): void;
}

/**
 * Runs until `signal` aborts (returns at once when the interval is 0). Each round records the current revision and compacts to the one recorded
 * in the previous round (when it is newer than what is already compacted). A failed round is reported
 * and the next one tries again with fresh numbers.
 */
export async function runCompactor(opts: CompactorOptions): Promise<void> {
  const clock = opts.clock ?? realClock;
  const intervalMs = (opts.intervalSeconds ?? 300) * 1000;
  if (intervalMs === 0) return;
  if (!(intervalMs > 0)) throw new Error(`compaction interval must not be negative, got ${opts.intervalSeconds}`);
  let previous: number | undefined;
  while (!opts.signal.aborted) {
    try {
      await clock.sleep(intervalMs, opts.signal);
    } catch {
      return;
    }
    try {
      const current = await opts.store.currentRevision();
      if (previous !== undefined && previous > (await opts.store.compactedRevision())) {
        await opts.store.compact(previous);
        opts.onCompacted?.(previous);
      }
      previous = current;
    } catch (err) {
      if (opts.signal.aborted) return;
      opts.onError?.(err);
      previous = undefined;
    }
  }
}
