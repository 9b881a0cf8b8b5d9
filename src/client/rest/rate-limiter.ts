// The client-side token bucket (client-go's flowcontrol.NewTokenBucketRateLimiter): `qps` tokens a second,
// at most `burst` saved up, starting full. Every request and watch takes one token before it is sent.
import { type Clock, realClock } from '../../base/clock.js';
import { defaultBurst, defaultQPS } from './config.js';

export interface RateLimiter {
  /** Resolves once a token is taken. Rejects with `signal.reason` when `signal` aborts while waiting. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Takes a token if one is available now; never waits. */
  tryAccept(): boolean;
}

/** A limiter that never waits (qps <= 0). */
export const unlimitedRateLimiter: RateLimiter = {
  wait: async (signal) => signal?.throwIfAborted(),
  tryAccept: () => true,
};

export interface TokenBucketOptions {
  qps: number;
  burst: number;
  clock?: Clock;
}

/**
 * A token bucket that reserves tokens in arrival order: each waiter books the next token and sleeps until
 * it is due, as golang.org/x/time/rate's Wait does, so callers are served first come first served.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly clock: Clock;
  private readonly qps: number;
  private readonly burst: number;
  /** Tokens at time `last`; negative when tokens are reserved ahead of time. */
  private tokens: number;
  private last: number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.qps > 0)) throw new Error(`token bucket needs qps > 0, got ${opts.qps}`);
    this.clock = opts.clock ?? realClock;
    this.qps = opts.qps;
    this.burst = Math.max(1, Math.floor(opts.burst));
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  private advance(): void {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
  }

  tryAccept(): boolean {
    this.advance();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.advance();
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    const delayMs = (-this.tokens / this.qps) * 1000;
    try {
      await this.clock.sleep(delayMs, signal);
    } catch (err) {
      // Give back the reservation so an aborted waiter does not delay the ones behind it.
      this.advance();
      this.tokens = Math.min(this.burst, this.tokens + 1);
      throw err;
    }
  }
}

/**
 * The limiter a config asks for: undefined qps means client-go's default (5), qps <= 0 means none; an unset
 * or zero burst means client-go's default (10).
 */
export function rateLimiterFor(opts: { qps?: number; burst?: number; clock?: Clock }): RateLimiter {
  const qps = opts.qps ?? defaultQPS;
  if (qps <= 0) return unlimitedRateLimiter;
  return new TokenBucketRateLimiter({ qps, burst: opts.burst || defaultBurst, clock: opts.clock });
}
