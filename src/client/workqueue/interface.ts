// The contract of client-go's util/workqueue, stacked by wrapping: Queue → DelayingQueue →
// RateLimitingQueue. Controllers enqueue keys from informer handlers and process them with workers.

/**
 * A work queue with client-go's guarantees:
 * - an item added several times before it is processed is processed once (dedupe);
 * - an item is never processed by two workers at once: adding it while it is being processed marks it
 *   dirty, and it is queued again when `done()` is called;
 * - after `shutDown()`, `get()` returns `{ shutdown: true }` once the queue is empty; `shutDownWithDrain()`
 *   also waits until every item taken has been marked done.
 */
export interface Queue<T> {
  add(item: T): void;
  len(): number;
  /** Waits for an item. `shutdown` true means stop working (the item is then absent). */
  get(): Promise<{ item: T; shutdown: false } | { item?: undefined; shutdown: true }>;
  done(item: T): void;
  shutDown(): void;
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

export interface DelayingQueue<T> extends Queue<T> {
  /** Adds the item after `ms` (at once when ms <= 0). An earlier pending time for the same item wins. */
  addAfter(item: T, ms: number): void;
}

/** Per-item backoff (client-go ItemExponentialFailureRateLimiter and friends). */
export interface RateLimiter<T> {
  /** How long to wait before the item's next try; counts a failure. */
  when(item: T): number;
  forget(item: T): void;
  numRequeues(item: T): number;
}

export interface RateLimitingQueue<T> extends DelayingQueue<T> {
  /** Adds the item after the rate limiter's delay for it. */
  addRateLimited(item: T): void;
  /** Clears the item's failure history (call after a successful sync). */
  forget(item: T): void;
  numRequeues(item: T): number;
}
