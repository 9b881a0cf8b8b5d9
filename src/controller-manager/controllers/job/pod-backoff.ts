// Exponential delay before a Job replaces failed pods (upstream backoffRecord): 10 s after the first failure
// since the last success, doubling per further failure, at most 10 minutes.

export interface PodBackoffOptions {
  /** Delay after one failure (upstream DefaultJobPodFailureBackOff, 10 s). */
  baseMs: number;
  /** Upper bound (upstream MaxJobPodFailureBackOff, 10 min). */
  maxMs: number;
}

export const defaultPodBackoff: PodBackoffOptions = { baseMs: 10_000, maxMs: 10 * 60_000 };

/** What a Job's failures so far mean for the next pod creation. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** When the last counted failure happened (ms), if any. */
  lastFailureTime?: number;
}

/** The record after counting `succeeded` and `failed` pods that finished, the last failure at `failedAt`. */
export function nextBackoffRecord(prev: BackoffRecord, counted: { succeeded: number; failed: number; failedAt: number }): BackoffRecord {
  if (counted.failed === 0) return counted.succeeded > 0 ? { failuresAfterLastSuccess: 0 } : prev;
  const base = counted.succeeded > 0 ? 0 : prev.failuresAfterLastSuccess;
  return { failuresAfterLastSuccess: base + counted.failed, lastFailureTime: Math.max(prev.lastFailureTime ?? 0, counted.failedAt) };
}

/** How long (ms) to wait before creating pods at `now`; 0 when creation may go ahead. */
export function remainingBackoff(record: BackoffRecord | undefined, now: number, opts: PodBackoffOptions = defaultPodBackoff): number {
  if (!record || record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  const delay = Math.min(opts.baseMs * 2 ** (record.failuresAfterLastSuccess - 1), opts.maxMs);
  return Math.max(0, record.lastFailureTime + delay - now);
}
