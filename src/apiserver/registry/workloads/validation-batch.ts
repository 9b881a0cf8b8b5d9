// Job and CronJob spec checks beyond the pod template (upstream batch validateJobSpec / validateCronJobSpec):
// non-negative counts, Indexed completions, the policies (validation-job-policies.ts), the cron schedule's syntax
// and the time zone.

import { invalid, required, type FieldError } from '../../../apimachinery/field-error.js';
import { cronScheduleError, timeZoneMessages } from '../../../api/validation/cron-schedule.js';
import { asObject, type JSONObject } from '../object-paths.js';
import { nonNegative } from './validation-apps.js';
import { validateJobPolicies } from './validation-job-policies.js';

/** upstream's cap on completions and parallelism of Indexed Jobs. */
const maxParallelismForIndexedJob = 100_000;

/** A Job's spec at `path` (`spec`, or `spec.jobTemplate.spec` in CronJobs), pod template excluded. */
export function validateJobSpecFields(spec: JSONObject, path: string): FieldError[] {
  const errs = nonNegative(spec, ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'], path);
  if (spec.completionMode === 'Indexed') {
    if (spec.completions === undefined || spec.completions === null) {
      errs.push(required(`${path}.completions`, 'when completion mode is Indexed'));
    } else if (typeof spec.completions === 'number' && spec.completions > maxParallelismForIndexedJob) {
      errs.push(invalid(`${path}.completions`, spec.completions, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
    }
    if (typeof spec.parallelism === 'number' && spec.parallelism > maxParallelismForIndexedJob) {
      errs.push(invalid(`${path}.parallelism`, spec.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
    }
  }
  errs.push(...validateJobPolicies(spec, path));
  return errs;
}

/**
 * A CronJob's spec: the schedule (required, standard cron syntax, no TZ= prefix), the time zone, non-negative
 * deadlines and history limits, and its Job template's own fields. `allowTZInSchedule` is true on updates of a
 * CronJob whose stored schedule already had one (upstream keeps those working).
 */
export function validateCronJobSpec(spec: JSONObject, allowTZInSchedule: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const schedule = spec.schedule;
  if (typeof schedule !== 'string' || schedule === '') errs.push(required('spec.schedule'));
  else {
    const parseError = cronScheduleError(schedule);
    if (parseError) errs.push(invalid('spec.schedule', schedule, parseError));
    if (schedule.includes('TZ')) {
      if (!allowTZInSchedule) errs.push(invalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
      else if (typeof spec.timeZone === 'string') errs.push(invalid('spec.schedule', schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    }
  }
  errs.push(...nonNegative(spec, ['startingDeadlineSeconds'], 'spec'));
  if (typeof spec.timeZone === 'string') {
    for (const msg of timeZoneMessages(spec.timeZone)) errs.push(invalid('spec.timeZone', spec.timeZone, msg));
  }
  const jobSpec = asObject(asObject(spec.jobTemplate)?.spec);
  if (jobSpec) {
    errs.push(...validateJobSpecFields(jobSpec, 'spec.jobTemplate.spec'));
    if (jobSpec.selector !== undefined && jobSpec.selector !== null) {
      errs.push(invalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
    }
  }
  errs.push(...nonNegative(spec, ['successfulJobsHistoryLimit', 'failedJobsHistoryLimit'], 'spec'));
  return errs;
}

/** upstream's limit on CronJob names: its Jobs add an 11-character suffix and must stay DNS-1035 labels. */
const maxCronJobNameLength = 52;

/** On create only: the name leaves room for the Jobs' `-<timestamp>` suffix. */
export function validateCronJobName(name: string): FieldError[] {
  return name.length > maxCronJobNameLength ? [invalid('metadata.name', name, `must be no more than ${maxCronJobNameLength} characters`)] : [];
}
