// spec.backoffLimitPerIndex for Indexed Jobs: each pod carries how often its index failed before
// (batch.kubernetes.io/job-index-failure-count); an index whose failures exceed the limit is failed, and
// each index waits its own exponential backoff before its next pod.
import type * as corev1 from '../../../api/generated/core/v1.js';
import { getCompletionIndex } from './indexes.js';
import { jobIndexFailureCountAnnotation, podFinishTime } from './job-pods.js';
import { remainingBackoff, type PodBackoffOptions } from './pod-backoff.js';

export { jobIndexFailureCountAnnotation };

/** The failure count a pod was created with (0 when absent or unparsable). */
export function indexFailureCount(pod: corev1.Pod): number {
  const raw = pod.metadata?.annotations?.[jobIndexFailureCountAnnotation];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : 0;
}

export interface IndexFailures {
  /** Counted failures of the index so far. */
  failures: number;
  /** When its last failed pod finished (ms). */
  lastFailure?: number;
}

/**
 * Per index, the failures recorded by its failed pods (the newest pod's count plus its own failure) and
 * when the last one finished. Pods whose failure `ignored` says not to count leave the count as it was.
 */
export function indexFailures(pods: readonly corev1.Pod[], completions: number, ignored: (pod: corev1.Pod) => boolean, now: number): Map<number, IndexFailures> {
  const out = new Map<number, IndexFailures>();
  for (const pod of pods) {
    if (pod.status?.phase !== 'Failed') continue;
    const index = getCompletionIndex(pod, completions);
    if (index === undefined) continue;
    const failures = indexFailureCount(pod) + (ignored(pod) ? 0 : 1);
    const prev = out.get(index);
    const finished = podFinishTime(pod) ?? now;
    out.set(index, { failures: Math.max(prev?.failures ?? 0, failures), lastFailure: Math.max(prev?.lastFailure ?? 0, finished) });
  }
  return out;
}

/** How long index `f` still waits before its next pod (0: create now). */
export function indexBackoff(f: IndexFailures | undefined, now: number, opts: PodBackoffOptions): number {
  if (!f || f.failures === 0) return 0;
  return remainingBackoff({ failuresAfterLastSuccess: f.failures, lastFailureTime: f.lastFailure }, now, opts);
}
