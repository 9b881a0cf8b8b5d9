// waitForCacheSync (client-go cache.WaitForCacheSync): the gate controllers pass before starting workers.
import { realClock, type Clock } from '../../base/clock.js';

/** How often the conditions are checked, as client-go. */
const syncedPollPeriodMs = 100;

/**
 * Resolves true once every `hasSynced` returns true, or false when `signal` aborts first. Never rejects.
 */
export async function waitForCacheSync(signal: AbortSignal, ...hasSynced: Array<() => boolean>): Promise<boolean> {
  return waitForCacheSyncOn(realClock, signal, ...hasSynced);
}

/** waitForCacheSync on a given clock (tests with a FakeClock step it). */
export async function waitForCacheSyncOn(clock: Clock, signal: AbortSignal, ...hasSynced: Array<() => boolean>): Promise<boolean> {
  for (;;) {
    if (hasSynced.every((f) => f())) return true;
    if (signal.aborted) return false;
    try {
      await clock.sleep(syncedPollPeriodMs, signal);
    } catch {
      return false;
    }
  }
}
