// How often a DaemonSet may delete a failed daemon pod on one node (upstream failedPodsBackoff, client-go
// flowcontrol.Backoff): a kubelet that keeps rejecting the pod must not make the controller hot-loop.

export interface FailedPodsBackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** Upstream's values: 1 s doubling to 15 minutes. */
export const defaultFailedPodsBackoff: FailedPodsBackoffOptions = { initialMs: 1000, maxMs: 15 * 60_000 };

/** Per-key exponential backoff measured from the last `next` (flowcontrol.Backoff's semantics). */
export class FailedPodsBackoff {
  private readonly entries = new Map<string, { delayMs: number; lastUpdate: number }>();

  constructor(private readonly opts: FailedPodsBackoffOptions = defaultFailedPodsBackoff) {}

  /** The current delay of `key` (0 when it has none). */
  get(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** True while less than the current delay has passed since the last `next` of `key`. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    return e !== undefined && now - e.lastUpdate < e.delayMs;
  }

  /** Starts (or doubles, up to the maximum) the delay of `key` at `now`; an entry idle for 2×max starts over. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    const expired = e === undefined || now - e.lastUpdate > 2 * this.opts.maxMs;
    const delayMs = expired ? this.opts.initialMs : Math.min(e.delayMs * 2, this.opts.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
  }

  /** Forgets entries idle for more than 2×max (upstream GC, run with each sync). */
  gc(now: number): void {
    for (const [key, e] of this.entries) if (now - e.lastUpdate > 2 * this.opts.maxMs) this.entries.delete(key);
  }
}
