// An injectable clock (like k8s.io/utils/clock): real time in production, a FakeClock that tests step
// by hand, so no test has to sleep to see a timeout or a backoff happen.

/** A cancellable one-shot timer. `stop()` returns false when the timer had already fired or been stopped. */
export interface Timer {
  stop(): boolean;
}

export interface Clock {
  /** Milliseconds since the Unix epoch, with sub-millisecond precision where the clock has it. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds unless stopped first. Never calls it synchronously. */
  setTimer(ms: number, fn: () => void): Timer;
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` as soon as `signal` aborts (also when it
   * is already aborted), and then leaves no timer behind.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Shared sleep built on a clock's own timers, so fake and real clocks cancel identically. */
function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.stop();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The wall clock. `now()` uses the high-resolution timer so log lines can carry microseconds. */
export class RealClock implements Clock {
  now(): number {
    return performance.timeOrigin + performance.now();
  }

  setTimer(ms: number, fn: () => void): Timer {
    let pending = true;
    const handle = setTimeout(() => {
      pending = false;
      fn();
    }, Math.max(0, ms));
    return {
      stop() {
        if (!pending) return false;
        pending = false;
        clearTimeout(handle);
        return true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }
}

/** The process-wide real clock. Code takes a Clock parameter and defaults to this. */
export const realClock: Clock = new RealClock();

interface FakeTimer {
  due: number;
  seq: number;
  fn: () => void;
  active: boolean;
}

/**
 * A clock that only moves when a test calls `step` or `setTime`. Timers whose due time is reached fire in
 * due-time order (ties in creation order); a timer created by a firing timer fires in the same step if it
 * is already due.
 */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const t: FakeTimer = { due: this.time + Math.max(0, ms), seq: this.seq++, fn, active: true };
    this.timers.push(t);
    return {
      stop: () => {
        if (!t.active) return false;
        t.active = false;
        this.timers = this.timers.filter((x) => x !== t);
        return true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** How many timers are waiting. Lets a test wait until the code under test has armed its timer. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that becomes due. */
  step(ms: number): void {
    this.setTime(this.time + ms);
  }

  /** Moves time to `t` (never backwards), firing every timer that becomes due. */
  setTime(t: number): void {
    if (t < this.time) throw new Error(`FakeClock cannot go back in time (${t} < ${this.time})`);
    for (;;) {
      const due = this.timers
        .filter((x) => x.due <= t)
        .sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      due.active = false;
      this.time = Math.max(this.time, due.due);
      due.fn();
    }
    this.time = t;
  }
}
