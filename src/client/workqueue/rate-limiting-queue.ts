// client-go's rate-limiting queue: a delaying queue that asks a RateLimiter how long each re-add waits.
import type { RateLimiter, RateLimitingQueue } from './interface.js';
import { newDelayingQueue } from './delaying-queue.js';
import type { QueueConfig } from './queue.js';

/** A rate-limiting queue (client-go NewRateLimitingQueueWithConfig). */
export function newRateLimitingQueue<T>(rateLimiter: RateLimiter<T>, config: QueueConfig = {}): RateLimitingQueue<T> {
  const delaying = newDelayingQueue<T>(config);
  return Object.assign(delaying, {
    addRateLimited(item: T): void {
      delaying.addAfter(item, rateLimiter.when(item));
    },
    forget(item: T): void {
      rateLimiter.forget(item);
    },
    numRequeues(item: T): number {
      return rateLimiter.numRequeues(item);
    },
  });
}
