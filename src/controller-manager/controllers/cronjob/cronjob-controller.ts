// The CronJob controller (upstream cronjob_controllerv2): at each activation of spec.schedule (in
// spec.timeZone) it creates the Job `<cronjob>-<scheduled minute>` from jobTemplate, honouring
// concurrencyPolicy, startingDeadlineSeconds and suspend; it tracks status.active, lastScheduleTime and
// lastSuccessfulTime and deletes finished Jobs beyond the history limits.
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isAlreadyExists, isNotFound } from '../../../apimachinery/errors.js';
import type { Clock } from '../../../base/clock.js';
import type { Logger } from '../../../base/logger.js';
import type { Interface, ResourceInterface } from '../../../client/rest/interface.js';
import type { Typed } from '../../../client/typed.js';
import type { RateLimitingQueue } from '../../../client/workqueue/interface.js';
import { metaTime } from '../../conditions.js';
import type { Controller, ControllerContext, EventRecorder, InformerHandle } from '../../controller-context.js';
import { recorderForKind } from '../../controller-context.js';
import { getControllerOf, keyOf, newControllerRef, splitKey } from '../../controller-ref-manager.js';
import type { ControllerMetrics } from '../../metrics.js';
import { deletedObject } from '../../deleted-object.js';
import { runAfterCacheSync } from '../../run-after-sync.js';
import { isNamespaceTerminating, type SyncResult } from '../../worker-loop.js';
import { jobsResource, type Job } from '../job/job-controller.js';
import { hasJobCondition, isJobFinished } from '../job/job-status.js';
import { mostRecentScheduleTime, tooManyMissedStarts } from './missed-schedules.js';
import { formatInZone, isValidTimeZone, nextActivation, parseSchedule, type Schedule } from './schedule.js';

export type CronJob = Typed<batchv1.CronJob>;

export const cronJobKind = { apiVersion: 'batch/v1', kind: 'CronJob' } as const;
export const cronJobsResource = { group: 'batch', version: 'v1', resource: 'cronjobs' } as const;
/** The scheduled time a Job was created for, RFC 3339 in the CronJob's zone. */
export const cronJobScheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Upstream requeues this long after the next activation, so the sync lands after it. */
const nextScheduleDeltaMs = 100;

export interface CronJobControllerDeps {
  client: Interface;
  cronJobs: InformerHandle<CronJob>;
  jobs: InformerHandle<Job>;
  recorder: EventRecorder;
  queue: RateLimitingQueue<string>;
  clock: Clock;
  logger: Logger;
  metrics?: ControllerMetrics;
}


/** upstream getJobName: the CronJob's name and the scheduled time in minutes since the epoch. */
export function jobNameFor(cronJob: CronJob, scheduledMs: number): string {
  return `${cronJob.metadata?.name ?? ''}-${Math.floor(scheduledMs / 60_000)}`;
}

export class CronJobController implements Controller {
  readonly name = 'cronjob-controller';
  private readonly deps: CronJobControllerDeps;

  constructor(deps: CronJobControllerDeps) {
    this.deps = deps;
    deps.cronJobs.informer.addEventHandler({
      onAdd: (cj) => this.enqueue(cj),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.enqueue(deletedObject(obj)),
    });
    deps.jobs.informer.addEventHandler({
      onAdd: (job) => this.enqueueOwner(job),
      onUpdate: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        if (getControllerOf(old)?.uid !== getControllerOf(cur)?.uid) this.enqueueOwner(old);
        this.enqueueOwner(cur);
      },
      onDelete: (obj) => this.enqueueOwner(deletedObject(obj)),
    });
  }

  async run(opts: { workers: number; signal: AbortSignal }): Promise<void> {
    const { deps } = this;
    await runAfterCacheSync({ isIgnorable: isNamespaceTerminating,
      ...opts,
      name: this.name,
      queue: deps.queue,
      sync: (key) => this.sync(key),
      hasSynced: [() => deps.cronJobs.informer.hasSynced(), () => deps.jobs.informer.hasSynced()],
      logger: deps.logger,
      clock: deps.clock,
      metrics: deps.metrics,
    });
  }

  private enqueue(cj: CronJob): void {
    this.deps.queue.add(keyOf(cj));
  }

  private enqueueOwner(job: Job): void {
    const ref = getControllerOf(job);
    if (ref?.kind !== 'CronJob') return;
    const cj = this.deps.cronJobs.lister.namespace(job.metadata?.namespace ?? '').get(ref.name);
    if (cj && cj.metadata?.uid === ref.uid) this.enqueue(cj);
  }

  private cronJobs(namespace: string): ResourceInterface<CronJob> {
    return this.deps.client.resource<CronJob>(cronJobsResource, namespace);
  }

  private jobsClient(namespace: string): ResourceInterface<Job> {
    return this.deps.client.resource<Job>(jobsResource, namespace);
  }

  /** Reconciles one CronJob; resolves with the delay until its next activation. */
  async sync(key: string): Promise<SyncResult | void> {
    const { deps } = this;
    const { namespace, name } = splitKey(key);
    const cached = deps.cronJobs.lister.namespace(namespace).get(name);
    if (!cached) return;
    const cj = structuredClone(cached);
    const jobs = deps.jobs.lister.namespace(namespace).list().filter((j) => getControllerOf(j)?.uid === cj.metadata?.uid);
    const before = JSON.stringify(cj.status ?? {});
    await this.reconcileActive(cj, jobs);
    const requeue = await this.schedule(cj);
    if (JSON.stringify(cj.status ?? {}) !== before) await this.cronJobs(namespace).updateStatus(cj);
    await this.cleanupFinishedJobs(cj, jobs);
    return requeue === undefined ? undefined : { requeueAfterMs: requeue };
  }

  /** upstream cleanupFinishedJobs' first half: status.active follows the Jobs that still run. */
  private async reconcileActive(cj: CronJob, jobs: Job[]): Promise<void> {
    const status = (cj.status ??= {});
    const inActive = (uid: string | undefined) => status.active?.some((r) => r.uid === uid) ?? false;
    for (const job of jobs) {
      const finished = isJobFinished(job);
      const found = inActive(job.metadata?.uid);
      if (!found && !finished) {
        const fresh = await this.cronJobs(cj.metadata?.namespace ?? '').get(cj.metadata?.name ?? '');
        if (fresh.status?.active?.some((r) => r.uid === job.metadata?.uid)) {
          status.active = fresh.status.active;
          continue;
        }
        this.deps.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name}`);
      } else if (found && finished) {
        status.active = status.active?.filter((r) => r.uid !== job.metadata?.uid);
        const condition = hasJobCondition(job, 'Complete') ? 'Complete' : 'Failed';
        this.deps.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name}, condition: ${condition}`);
      }
      if (finished && hasJobCondition(job, 'Complete') && job.status?.completionTime) {
        const done = job.status.completionTime;
        if (!status.lastSuccessfulTime || Date.parse(done) > Date.parse(status.lastSuccessfulTime)) status.lastSuccessfulTime = done;
      }
    }
    // Active references whose Job is gone from the cache: ask the API before forgetting them.
    const known = new Set(jobs.map((j) => j.metadata?.uid));
    for (const ref of [...(status.active ?? [])]) {
      if (known.has(ref.uid)) continue;
      try {
        const job = await this.jobsClient(ref.namespace ?? cj.metadata?.namespace ?? '').get(ref.name ?? '');
        if (job.metadata?.uid === ref.uid) continue;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      this.deps.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      status.active = status.active?.filter((r) => r.uid !== ref.uid);
    }
    if (status.active?.length === 0) delete status.active;
  }

  /** Starts the Job for the most recent missed activation, if allowed; resolves with the requeue delay. */
  private async schedule(cj: CronJob): Promise<number | undefined> {
    const { deps } = this;
    if (cj.metadata?.deletionTimestamp) return undefined;
    // Without spec.timeZone upstream uses the controller manager's local zone; k8ts uses UTC, as containers do.
    const timeZone = cj.spec.timeZone;
    if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
      deps.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${timeZone}": unknown time zone ${timeZone}`);
      return undefined;
    }
    let schedule: Schedule;
    try {
      schedule = parseSchedule(cj.spec.schedule);
    } catch (err) {
      deps.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${cj.spec.schedule}" : ${(err as Error).message}`);
      return undefined;
    }
    if (cj.spec.suspend) return undefined;
    const now = deps.clock.now();
    const nextDelay = (): number | undefined => {
      const next = nextActivation(schedule, now, timeZone);
      return next === undefined ? undefined : next - now + nextScheduleDeltaMs;
    };
    const status = (cj.status ??= {});
    const recent = mostRecentScheduleTime({
      schedule,
      timeZone,
      now,
      created: Date.parse(cj.metadata?.creationTimestamp ?? '') || now,
      lastScheduleTime: status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : undefined,
      startingDeadlineSeconds: cj.spec.startingDeadlineSeconds,
    });
    if (recent.missed > tooManyMissedStarts) {
      deps.recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${recent.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = recent.time;
    if (scheduled === undefined) return nextDelay();
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline !== undefined && scheduled + deadline * 1000 < now) {
      deps.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return nextDelay();
    }
    const jobName = jobNameFor(cj, scheduled);
    if (status.active?.some((r) => r.name === jobName)) return nextDelay();
    const policy = cj.spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      deps.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return nextDelay();
    }
    if (policy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        await this.deleteJob(cj, ref.name ?? '');
        status.active = status.active?.filter((r) => r.uid !== ref.uid);
      }
      if (status.active?.length === 0) delete status.active;
    }
    let created: Job;
    try {
      created = await this.jobsClient(cj.metadata?.namespace ?? '').create(jobFromTemplate(cj, scheduled, jobName));
    } catch (err) {
      // Someone (an earlier run of ours whose status write was lost) created it: its status will follow.
      if (isAlreadyExists(err)) return nextDelay();
      if (!isNamespaceTerminating(err)) deps.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
      throw err;
    }
    deps.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name}`);
    const ref: corev1.ObjectReference = {
      kind: 'Job',
      namespace: created.metadata?.namespace,
      name: created.metadata?.name,
      uid: created.metadata?.uid,
      apiVersion: 'batch/v1',
      resourceVersion: created.metadata?.resourceVersion,
    };
    status.active = [...(status.active ?? []), ref];
    status.lastScheduleTime = metaTime(scheduled);
    return nextDelay();
  }

  /** Deletes finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: Job[]): Promise<void> {
    const limits: Array<[number | undefined, (j: Job) => boolean]> = [
      [cj.spec.successfulJobsHistoryLimit, (j) => hasJobCondition(j, 'Complete')],
      [cj.spec.failedJobsHistoryLimit, (j) => hasJobCondition(j, 'Failed')],
    ];
    for (const [limit, matches] of limits) {
      if (limit === undefined) continue;
      const finished = jobs.filter((j) => isJobFinished(j) && matches(j) && !j.metadata?.deletionTimestamp);
      if (finished.length <= limit) continue;
      const startOf = (j: Job) => Date.parse(j.status?.startTime ?? j.metadata?.creationTimestamp ?? '') || 0;
      finished.sort((a, b) => startOf(a) - startOf(b));
      for (const job of finished.slice(0, finished.length - limit)) await this.deleteJob(cj, job.metadata?.name ?? '');
    }
  }

  private async deleteJob(cj: CronJob, name: string): Promise<void> {
    try {
      await this.jobsClient(cj.metadata?.namespace ?? '').delete(name, { propagationPolicy: 'Background' });
    } catch (err) {
      if (isNotFound(err)) return;
      this.deps.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${(err as Error).message}`);
      throw err;
    }
    this.deps.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }
}

/**
 * upstream getJobFromTemplate2: the template's labels, annotations and spec, the scheduled-timestamp
 * annotation, and the CronJob as controller.
 */
export function jobFromTemplate(cj: CronJob, scheduledMs: number, name: string): Job {
  const template = cj.spec.jobTemplate;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata?.namespace,
      labels: { ...template.metadata?.labels },
      annotations: { ...template.metadata?.annotations, [cronJobScheduledTimestampAnnotation]: formatInZone(scheduledMs, cj.spec.timeZone) },
      ownerReferences: [newControllerRef(cj, cronJobKind)],
    },
    spec: structuredClone(template.spec) as batchv1.JobSpec,
  };
}

/** Go's time.RFC1123Z in UTC, e.g. `Mon, 02 Jan 2006 15:04:05 +0000`. */
function rfc1123z(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function newCronJobController(ctx: ControllerContext): Controller {
  return new CronJobController({
    client: ctx.client,
    cronJobs: ctx.informers.forResource<CronJob>(cronJobsResource),
    jobs: ctx.informers.forResource<Job>(jobsResource),
    recorder: recorderForKind(ctx.recorder('cronjob-controller'), cronJobKind),
    queue: ctx.newQueue('cronjob'),
    clock: ctx.clock,
    logger: ctx.logger.withName('cronjob_controllerv2.ts'),
    metrics: ctx.metrics,
  });
}
