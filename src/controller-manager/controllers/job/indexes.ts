// Completion indexes of Indexed Jobs: the `batch.kubernetes.io/job-completion-index` annotation and label on
// pods, and the interval strings of status.completedIndexes / failedIndexes ("1,3-5,7").
import type * as corev1 from '../../../api/generated/core/v1.js';

/** Annotation (and, since 1.28, label) carrying a pod's completion index. */
export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
/** The environment variable the controller adds to every container, read from the annotation. */
export const jobCompletionIndexEnvName = 'JOB_COMPLETION_INDEX';

/** The pod's completion index, or undefined when it has none or it is not a number in [0, completions). */
export function getCompletionIndex(pod: corev1.Pod, completions: number): number | undefined {
  const raw = pod.metadata?.annotations?.[jobCompletionIndexAnnotation] ?? pod.metadata?.labels?.[jobCompletionIndexAnnotation];
  if (raw === undefined || !/^(0|[1-9][0-9]*)$/.test(raw)) return undefined;
  const index = Number(raw);
  return index < completions ? index : undefined;
}

/** Formats a set of indexes as ascending intervals: [0,1,2,5] → "0-2,5" (upstream OrderedIntervals.String). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * Parses an interval string, keeping only indexes below `completions`; malformed parts are skipped (a
 * status written by someone else must not stop the controller).
 */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  if (!text) return out;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}
