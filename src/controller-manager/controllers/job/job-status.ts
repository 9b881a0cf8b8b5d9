// Job conditions and the finish decision (upstream's reasons and messages): SuccessCriteriaMet or
// FailureTarget first, Complete or Failed once every pod of the Job has terminated and was counted.
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import { metaTime, setCondition } from '../../conditions.js';

export const jobReasons = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
  completionsReached: 'CompletionsReached',
  failedIndexes: 'FailedIndexes',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  successPolicy: 'SuccessPolicy',
} as const;

export const jobMessages = {
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  completionsReached: 'Reached expected number of succeeded pods',
  failedIndexes: 'Job has failed indexes',
  maxFailedIndexesExceeded: 'Job has exceeded the specified maximum number of failed indexes',
} as const;

/** How a Job ends: the interim condition is written first, the terminal one after all pods are gone. */
export interface JobFinish {
  terminal: 'Complete' | 'Failed';
  interim: 'SuccessCriteriaMet' | 'FailureTarget';
  reason: string;
  message: string;
}

export function hasJobCondition(job: batchv1.Job, type: string): boolean {
  return job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** A Job with a True Complete or Failed condition: the controller leaves it alone. */
export function isJobFinished(job: batchv1.Job): boolean {
  return hasJobCondition(job, 'Complete') || hasJobCondition(job, 'Failed');
}

/** The finish a Job already committed to through an interim condition, if any. */
export function committedFinish(job: batchv1.Job): JobFinish | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'FailureTarget') return { terminal: 'Failed', interim: 'FailureTarget', reason: c.reason ?? '', message: c.message ?? '' };
    if (c.type === 'SuccessCriteriaMet') return { terminal: 'Complete', interim: 'SuccessCriteriaMet', reason: c.reason ?? '', message: c.message ?? '' };
  }
  return undefined;
}

export function failure(reason: string, message: string): JobFinish {
  return { terminal: 'Failed', interim: 'FailureTarget', reason, message };
}

export function success(): JobFinish {
  return { terminal: 'Complete', interim: 'SuccessCriteriaMet', reason: jobReasons.completionsReached, message: jobMessages.completionsReached };
}

/** Sets a True/False condition (unchanged when status and reason already match), stamped `now`. */
export function withJobCondition(
  conditions: batchv1.JobCondition[] | undefined,
  c: { type: string; status: 'True' | 'False'; reason: string; message: string },
  now: number,
): batchv1.JobCondition[] {
  const t = metaTime(now);
  return setCondition(conditions, { ...c, lastProbeTime: t, lastTransitionTime: t });
}
