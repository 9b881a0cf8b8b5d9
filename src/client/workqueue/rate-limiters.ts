// client-go's per-item rate limiters: exponential per-item backoff, an overall token bucket, fast/slow, and
// the max of several — combined into the default every controller uses.
import { realClock, type Clock } from '../../base/clock.js';
import type { RateLimiter } from './interface.js';

/**
 * Per-item exponential backoff: the n-th failure of an item waits baseDelay × 2^n, capped at maxDelay.
 * `forget` starts the item over.
 */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const delay = this.baseDelayMs * 2 ** exp;
    // Past 2^1023 the product is Infinity, which the cap handles as any other overflow.
    return Math.min(delay, this.maxDelayMs);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }
}

/** `maxFastAttempts` tries at fastDelay, then slowDelay for every later one. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly fastDelayMs: number,
    private readonly slowDelayMs: number,
    private readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }
}

export interface BucketRateLimiterOptions {
  /** Tokens added per second. */
  qps: number;
  /** Tokens the bucket holds (it starts full). */
  burst: number;
  clock?: Clock;
}

/**
 * An overall token bucket shared by all items (client-go BucketRateLimiter over rate.Limiter): each `when`
 * reserves the next token and returns how long until it is due. Items have no history here.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly clock: Clock;
  private readonly qps: number;
  private readonly burst: number;
  /** Tokens at time `at`; negative once reservations run ahead of the refill. */
  private tokens: number;
  private at: number;

  constructor(opts: BucketRateLimiterOptions) {
    this.clock = opts.clock ?? realClock;
    this.qps = opts.qps;
    this.burst = opts.burst;
    this.tokens = opts.burst;
    this.at = this.clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    if (now > this.at) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) * this.qps) / 1000);
      this.at = now;
    }
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  numRequeues(_item: T): number {
    return 0;
  }

  forget(_item: T): void {}
}

/** The longest delay of several limiters; every limiter counts every failure. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
}

/**
 * What controllers use (client-go DefaultControllerRateLimiter): per-item exponential backoff from 5ms to
 * 1000s, and overall at most 10 retries a second with bursts of 100.
 */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000),
    new BucketRateLimiter<T>({ qps: 10, burst: 100, clock }),
  );
}
