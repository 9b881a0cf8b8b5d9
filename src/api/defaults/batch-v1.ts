// Defaulters of batch/v1 Jobs and CronJobs (upstream pkg/apis/batch/v1/defaults.go). A CronJob's job
// template gets only the type-level defaults inside it (its PodSpec, pod failure policy patterns),
// not SetDefaults_Job: a `kubectl get cronjob -o yaml` shows no backoffLimit in the template.
import { deepCopy } from '../../apimachinery/patch/json-value.js';
import { defaultNil, defaultZero, ensureObject, isEmpty, objectAt, objectField, objectItems, type JSONObject } from './fields.js';
import { defaultPodTemplateSpec } from './pod.js';

/** Retries before a Job is failed, when it does not set backoffLimit and has no per-index limit. */
export const defaultBackoffLimit = 6;
/** backoffLimit of Jobs with backoffLimitPerIndex: unlimited (the largest int32). */
export const unlimitedBackoffLimit = 2147483647;

/** Defaults of the types inside a JobSpec, shared by Jobs and CronJob job templates. */
function defaultJobSpecTypes(spec: JSONObject): void {
  for (const rule of objectItems(objectField(spec, 'podFailurePolicy'), 'rules')) {
    for (const pattern of objectItems(rule, 'onPodConditions')) defaultZero(pattern, 'status', 'True');
  }
  defaultPodTemplateSpec(objectField(spec, 'template'));
}

/**
 * Upstream SetDefaults_Job: completions and parallelism 1 when both are unset (parallelism alone
 * otherwise), backoffLimit, labels from the template when the Job has none, NonIndexed completion, not
 * suspended, pods replaced once Failed under a podFailurePolicy (else TerminatingOrFailed), no manual
 * selector. The generated selector and its labels are the Job strategy's business, not defaults.
 */
export function defaultJob(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  const unset = (key: string): boolean => spec[key] === undefined || spec[key] === null;
  if (unset('completions') && unset('parallelism')) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  defaultNil(spec, 'parallelism', 1);
  defaultNil(spec, 'backoffLimit', unset('backoffLimitPerIndex') ? defaultBackoffLimit : unlimitedBackoffLimit);
  const templateLabels = objectAt(spec, 'template', 'metadata', 'labels');
  const metadata = ensureObject(obj, 'metadata');
  if (templateLabels && isEmpty(metadata.labels)) metadata.labels = deepCopy(templateLabels);
  defaultNil(spec, 'completionMode', 'NonIndexed');
  defaultNil(spec, 'suspend', false);
  defaultNil(spec, 'podReplacementPolicy', unset('podFailurePolicy') ? 'TerminatingOrFailed' : 'Failed');
  defaultNil(spec, 'manualSelector', false);
  defaultJobSpecTypes(spec);
}

/** Upstream SetDefaults_CronJob: concurrent runs allowed, not suspended, keep 3 successful and 1 failed Job. */
export function defaultCronJob(obj: JSONObject): void {
  const spec = ensureObject(obj, 'spec');
  defaultZero(spec, 'concurrencyPolicy', 'Allow');
  defaultNil(spec, 'suspend', false);
  defaultNil(spec, 'successfulJobsHistoryLimit', 3);
  defaultNil(spec, 'failedJobsHistoryLimit', 1);
  const jobSpec = objectAt(spec, 'jobTemplate', 'spec');
  if (jobSpec) defaultJobSpecTypes(jobSpec);
}
