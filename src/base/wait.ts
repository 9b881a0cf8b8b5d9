// Waiting for conditions (like apimachinery's wait package): poll at an interval, retry with backoff,
// run something periodically — always stoppable through an AbortSignal and driven by an injectable Clock.
import { Backoff, type BackoffOptions } from './backoff.js';
import { realClock, type Clock } from './clock.js';

/** A condition: true = done, false = not yet. Throwing stops the wait and rejects with that error. */
export type ConditionFunc = () => boolean | Promise<boolean>;

/** Thrown when a wait runs out of time or attempts before its condition held. */
export class WaitTimeoutError extends Error {
  constructor() {
    super('timed out waiting for the condition');
    this.name = 'WaitTimeoutError';
  }
}

export interface PollOptions {
  /** Time between the end of one check and the start of the next, in milliseconds. */
  intervalMs: number;
  /** Give up with WaitTimeoutError after this many milliseconds. Default: wait until aborted. */
  timeoutMs?: number;
  /** Check once before the first interval (upstream's PollImmediate). Default true. */
  immediate?: boolean;
  /** Abort rejects the wait with `signal.reason`. */
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Resolves once `condition` returns true. Rejects with WaitTimeoutError when `timeoutMs` passes first, with
 * the signal's reason when aborted, or with whatever the condition throws. The condition is never called
 * concurrently with itself.
 */
export async function poll(opts: PollOptions, condition: ConditionFunc): Promise<void> {
  const clock = opts.clock ?? realClock;
  const deadline = opts.timeoutMs === undefined ? Infinity : clock.now() + opts.timeoutMs;
  let first = opts.immediate ?? true;
  for (;;) {
    opts.signal?.throwIfAborted();
    if (!first) {
      const wait = Math.min(opts.intervalMs, deadline - clock.now());
      if (wait <= 0) throw new WaitTimeoutError();
      await clock.sleep(wait, opts.signal);
    }
    first = false;
    if (await condition()) return;
    if (clock.now() >= deadline) throw new WaitTimeoutError();
  }
}

export interface ExponentialBackoffOptions {
  backoff: BackoffOptions;
  /** Give up with WaitTimeoutError after this many checks. Default: until aborted. */
  steps?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

/**
 * Checks `condition` immediately and then after each backoff delay until it returns true. Rejects like
 * `poll`, with WaitTimeoutError once `steps` checks have failed.
 */
export async function exponentialBackoff(opts: ExponentialBackoffOptions, condition: ConditionFunc): Promise<void> {
  const clock = opts.clock ?? realClock;
  const backoff = new Backoff(opts.backoff);
  const steps = opts.steps ?? Infinity;
  for (let i = 0; ; i++) {
    opts.signal?.throwIfAborted();
    if (await condition()) return;
    if (i + 1 >= steps) throw new WaitTimeoutError();
    await clock.sleep(backoff.next(), opts.signal);
  }
}

export interface UntilOptions {
  /** Time between the end of one run and the start of the next, in milliseconds. */
  periodMs: number;
  signal: AbortSignal;
  clock?: Clock;
}

/**
 * Runs `fn` now and then every `periodMs` until `signal` aborts (upstream's wait.Until). Resolves (never
 * rejects) once aborted; an error thrown by `fn` rejects and stops the loop — catch inside `fn` to keep going.
 */
export async function until(opts: UntilOptions, fn: () => void | Promise<void>): Promise<void> {
  const clock = opts.clock ?? realClock;
  while (!opts.signal.aborted) {
    await fn();
    try {
      await clock.sleep(opts.periodMs, opts.signal);
    } catch (err) {
      if (opts.signal.aborted) return;
      throw err;
    }
  }
}
