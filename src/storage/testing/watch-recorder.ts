// A watch consumer for tests: records every event and error, and lets a test wait for a condition on
// them (bounded by a deadline) instead of sleeping.
import type { Store, StorageError, WatchEvent } from '../interface.js';

/** One line per event with everything the contract promises about it, for deepEqual comparisons. */
export function describeEvent(e: WatchEvent): string {
  return e.type === 'put'
    ? `put ${e.kv.key}@${e.kv.modRevision}(c${e.kv.createRevision})=${e.kv.value}${e.prevKv ? ` prev@${e.prevKv.modRevision}(c${e.prevKv.createRevision})=${e.prevKv.value}` : ''}`
    : `delete ${e.key}@${e.revision} prev@${e.prevKv.modRevision}(c${e.prevKv.createRevision})=${e.prevKv.value}`;
}

export interface WatchRecorder {
  readonly events: WatchEvent[];
  /** Each onEvents call's batch, to check that a revision's events arrive together. */
  readonly batches: WatchEvent[][];
  readonly errors: StorageError[];
  /** Resolves once `cond` holds; rejects after `timeoutMs` (default 10 s) with `what` in the message. */
  waitFor(what: string, cond: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/** Starts a watch on `store` that records into a WatchRecorder. */
export async function recordWatch(store: Store, opts: { prefix: string; startRevision: number }): Promise<WatchRecorder> {
  const controller = new AbortController();
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...waiters]) w();
  };
  const rec: WatchRecorder = {
    events: [],
    batches: [],
    errors: [],
    waitFor(what, cond, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!cond()) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; have ${rec.events.length} events, errors: ${rec.errors.map((e) => e.code).join(',')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop: () => controller.abort(),
  };
  await store.watch({
    prefix: opts.prefix,
    startRevision: opts.startRevision,
    signal: controller.signal,
    onEvents(events) {
      rec.batches.push(events);
      rec.events.push(...events);
      wake();
    },
    onError(err) {
      rec.errors.push(err);
      wake();
    },
  });
  return rec;
}
