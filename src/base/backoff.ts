// Exponential backoff with jitter (like apimachinery's wait.Backoff): the delay sequence used for retries
// and for restarting crashed components.

export interface BackoffOptions {
  /** The first delay, in milliseconds. */
  initialMs: number;
  /** Each delay is the previous one times this (>= 1). Default 2. */
  factor?: number;
  /**
   * Each returned delay is increased by a random amount in [0, jitter × delay). 0 (default) = no jitter.
   * Jitter spreads retries of many clients so they do not hit the server in lockstep.
   */
  jitter?: number;
  /** No delay (before jitter) exceeds this, in milliseconds. Default: no cap. */
  capMs?: number;
  /** Source of randomness in [0, 1); injectable for tests. Default Math.random. */
  random?: () => number;
}

/**
 * A stateful backoff: `next()` returns the next delay and grows the base; `reset()` starts over.
 * Unlike upstream's `Steps`, it never runs out: callers decide when to give up.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly capMs: number;
  private readonly random: () => number;
  private current: number;
  private attempts = 0;

  constructor(opts: BackoffOptions) {
    if (!(opts.initialMs >= 0)) throw new Error(`backoff initialMs must be >= 0, got ${opts.initialMs}`);
    if ((opts.factor ?? 2) < 1) throw new Error(`backoff factor must be >= 1, got ${opts.factor}`);
    this.initialMs = opts.initialMs;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 0;
    this.capMs = opts.capMs ?? Infinity;
    this.random = opts.random ?? Math.random;
    this.current = Math.min(this.initialMs, this.capMs);
  }

  /** The delay to wait before the next attempt, in milliseconds. */
  next(): number {
    const base = this.current;
    this.current = Math.min(this.current * this.factor, this.capMs);
    this.attempts++;
    return this.jitter > 0 ? base + this.random() * this.jitter * base : base;
  }

  /** How many delays `next()` has handed out since the last reset. */
  get steps(): number {
    return this.attempts;
  }

  reset(): void {
    this.current = Math.min(this.initialMs, this.capMs);
    this.attempts = 0;
  }
}
