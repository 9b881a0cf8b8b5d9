// Pods as the Job controller sees them: the tracking finalizer, when a pod counts as succeeded or failed,
// and the pod a Job creates (finalizer, completion index annotation/label, hostname, JOB_COMPLETION_INDEX).
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type { Typed } from '../../../client/typed.js';
import type { OwnerReference } from '../../controller-ref-manager.js';
import { podFromTemplate } from '../../pod-control.js';
import { jobCompletionIndexAnnotation, jobCompletionIndexEnvName } from './indexes.js';

type Pod = Typed<corev1.Pod>;
type Job = Typed<batchv1.Job>;

/** The failures of a pod's index before it was created (backoffLimitPerIndex). */
export const jobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';

/** Keeps a finished pod until the Job controller counted it in the Job's status. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

export function hasTrackingFinalizer(pod: corev1.Pod): boolean {
  return pod.metadata?.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

export function isIndexed(job: batchv1.Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

/** Running or pending and not being deleted (upstream controller.IsPodActive). */
export function isJobPodActive(pod: corev1.Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** Being deleted but not yet finished (status.terminating). */
export function isJobPodTerminating(pod: corev1.Pod): boolean {
  const phase = pod.status?.phase;
  return Boolean(pod.metadata?.deletionTimestamp) && phase !== 'Succeeded' && phase !== 'Failed';
}

/** upstream onlyReplaceFailedPods: replacements wait until the old pod is fully Failed. */
export function onlyReplaceFailedPods(job: batchv1.Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

/**
 * upstream isPodFailed: phase Failed; or, unless only Failed pods are replaced (podFailurePolicy or
 * podReplacementPolicy Failed), a pod deleted before it finished — an orphan that will never reach Failed.
 */
export function isJobPodFailed(pod: corev1.Pod, job: batchv1.Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return Boolean(pod.metadata?.deletionTimestamp) && pod.status?.phase !== 'Succeeded';
}

/** When the pod finished, from its containers' termination times (ms); undefined when unknown. */
export function podFinishTime(pod: corev1.Pod): number | undefined {
  let latest: number | undefined;
  for (const s of pod.status?.containerStatuses ?? []) {
    const at = s.state?.terminated?.finishedAt;
    if (!at) continue;
    const t = Date.parse(at);
    if (!Number.isNaN(t)) latest = Math.max(latest ?? t, t);
  }
  return latest;
}

/**
 * The pod the Job creates: its template with the tracking finalizer; for Indexed Jobs the completion index
 * as annotation and label, generateName `<job>-<index>-`, hostname `<job>-<index>` unless the template sets
 * one, JOB_COMPLETION_INDEX in every container from the annotation through the downward API, and with
 * backoffLimitPerIndex the index's failures so far (`indexFailureCount`).
 */
export function newJobPod(job: Job, controllerRef: OwnerReference, opts: { index?: number; indexFailureCount?: number } = {}): Pod {
  const { index } = opts;
  const template = structuredClone(job.spec?.template ?? {}) as corev1.PodTemplateSpec;
  template.metadata ??= {};
  template.metadata.finalizers = [...(template.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer), jobTrackingFinalizer];
  const pod = podFromTemplate(template, job, controllerRef);
  if (index === undefined) return pod;
  const name = job.metadata?.name ?? '';
  pod.metadata!.generateName = `${name}-${index}-`;
  pod.metadata!.annotations = { ...pod.metadata!.annotations, [jobCompletionIndexAnnotation]: String(index) };
  if (opts.indexFailureCount !== undefined) pod.metadata!.annotations[jobIndexFailureCountAnnotation] = String(opts.indexFailureCount);
  pod.metadata!.labels = { ...pod.metadata!.labels, [jobCompletionIndexAnnotation]: String(index) };
  if (pod.spec) {
    if (!pod.spec.hostname) pod.spec.hostname = `${name}-${index}`;
    const env: corev1.EnvVar = {
      name: jobCompletionIndexEnvName,
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${jobCompletionIndexAnnotation}']` } },
    };
    for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
      if (c.env?.some((e) => e.name === jobCompletionIndexEnvName)) continue;
      c.env = [...(c.env ?? []), env];
    }
  }
  return pod;
}
