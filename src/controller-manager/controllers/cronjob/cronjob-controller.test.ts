// The CronJob controller's sync against fakes and an injected clock: Job names and annotations, the
// requeue to the next activation, concurrency policies, deadlines, suspend, bad schedules, status.active
// bookkeeping and history limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { jobsResource, type Job } from '../job/job-controller.js';
import { CronJobController, cronJobScheduledTimestampAnnotation, cronJobsResource, type CronJob } from './cronjob-controller.js';

const created = Date.parse('2026-01-01T10:00:30Z');

function cronJob(spec: Partial<batchv1.CronJobSpec> = {}, status: batchv1.CronJobStatus = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default', uid: 'cj-uid', resourceVersion: '1', creationTimestamp: '2026-01-01T10:00:30Z' },
    spec: {
      schedule: '* * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: 'hello' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } } } },
      ...spec,
    },
    status,
  };
}

function ownedJob(name: string, finished?: { type: 'Complete' | 'Failed'; at: string }): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true }],
    },
    spec: { template: {} },
    status: finished
      ? { startTime: finished.at, conditions: [{ type: finished.type, status: 'True' }], ...(finished.type === 'Complete' ? { completionTime: finished.at } : {}) }
      : { startTime: '2026-01-01T10:00:00Z' },
  };
}

function setup(cj: CronJob, jobs: Job[] = [], now = created) {
  const clock = new FakeClock(now);
  const client = new FakeClient(() => clock.now());
  client.seed(cronJobsResource, cj);
  for (const j of jobs) client.seed(jobsResource, j);
  const cronJobs = new FakeInformer<CronJob>([cj]);
  const jobInformer = new FakeInformer<Job>(jobs);
  const recorder = new RecordingRecorder();
  const queue = new RecordingQueue();
  const controller = new CronJobController({ client, cronJobs, jobs: jobInformer, recorder, queue, clock, logger: newLogger({ write: () => {} }) });
  const stored = async () => client.resource<CronJob>(cronJobsResource, 'default').get('hello');
  return { clock, client, controller, recorder, stored };
}

test('at its activation a Job <name>-<minutes> is created from the template and recorded as active', async () => {
  const { client, controller, recorder, stored } = setup(cronJob(), [], Date.parse('2026-01-01T10:01:05Z'));
  const result = await controller.sync('default/hello');
  const scheduled = Date.parse('2026-01-01T10:01:00Z');
  const name = `hello-${scheduled / 60_000}`;
  const job = await client.resource<Job>(jobsResource, 'default').get(name);
  assert.equal(job.metadata?.annotations?.[cronJobScheduledTimestampAnnotation], '2026-01-01T10:01:00Z');
  assert.deepEqual(job.metadata?.labels, { app: 'hello' });
  assert.deepEqual(job.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  assert.equal(job.spec?.template.spec?.restartPolicy, 'OnFailure');
  const status = (await stored()).status!;
  assert.equal(status.lastScheduleTime, '2026-01-01T10:01:00Z');
  assert.deepEqual(status.active?.map((r) => [r.kind, r.name, r.uid, r.apiVersion]), [['Job', name, `uid-${name}`, 'batch/v1']]);
  assert.deepEqual(recorder.events, [`Normal SuccessfulCreate Created job ${name}`]);
  assert.deepEqual(result, { requeueAfterMs: 55_000 + 100 }, 'requeued just after the next activation');
});

test('the scheduled-timestamp annotation is written in spec.timeZone', async () => {
  const { client, controller } = setup(cronJob({ schedule: '0 11 * * *', timeZone: 'Europe/Berlin' }), [], Date.parse('2026-01-01T10:00:40Z'));
  await controller.sync('default/hello');
  const job = await client.resource<Job>(jobsResource, 'default').get(`hello-${Date.parse('2026-01-01T10:00:00Z') / 60_000}`).catch(() => undefined);
  assert.equal(job, undefined, 'created after 10:00 UTC: nothing due yet');
  const later = setup(cronJob({ schedule: '0 11 * * *', timeZone: 'Europe/Berlin' }), [], Date.parse('2026-01-02T10:00:05Z'));
  await later.controller.sync('default/hello');
  const name = `hello-${Date.parse('2026-01-02T10:00:00Z') / 60_000}`;
  const made = await later.client.resource<Job>(jobsResource, 'default').get(name);
  assert.equal(made.metadata?.annotations?.[cronJobScheduledTimestampAnnotation], '2026-01-02T11:00:00+01:00');
});

test('concurrency policies and deadlines decide whether a due run starts', async () => {
  const now = Date.parse('2026-01-01T10:05:05Z');
  const running = ownedJob('hello-old');
  const active = { active: [{ kind: 'Job', name: 'hello-old', namespace: 'default', uid: 'uid-hello-old', apiVersion: 'batch/v1' }], lastScheduleTime: '2026-01-01T10:04:00Z' };
  const cases: Array<{ name: string; cj: CronJob; jobs: Job[]; creates: boolean; deletesOld?: boolean; event?: string }> = [
    { name: 'Allow runs beside the old one', cj: cronJob({ concurrencyPolicy: 'Allow' }, active), jobs: [running], creates: true },
    { name: 'Forbid waits', cj: cronJob({ concurrencyPolicy: 'Forbid' }, active), jobs: [running], creates: false, event: 'Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid' },
    { name: 'Replace deletes the old one', cj: cronJob({ concurrencyPolicy: 'Replace' }, active), jobs: [running], creates: true, deletesOld: true, event: 'Normal SuccessfulDelete Deleted job hello-old' },
    { name: 'suspended', cj: cronJob({ suspend: true }), jobs: [], creates: false },
    {
      name: 'startingDeadlineSeconds passed',
      cj: cronJob({ schedule: '0 * * * *', startingDeadlineSeconds: 60 }, { lastScheduleTime: '2026-01-01T09:00:00Z' }),
      jobs: [],
      creates: false,
    },
  ];
  for (const c of cases) {
    const { client, controller, recorder } = setup(c.cj, c.jobs, now);
    await controller.sync('default/hello');
    const creates = client.writes().filter((a) => a.verb === 'create' && a.resource === 'jobs');
    assert.equal(creates.length, c.creates ? 1 : 0, c.name);
    if (c.creates) assert.equal(creates[0]!.name, `hello-${Date.parse('2026-01-01T10:05:00Z') / 60_000}`, c.name);
    const deletes = client.writes().filter((a) => a.verb === 'delete' && a.name === 'hello-old');
    assert.equal(deletes.length, c.deletesOld ? 1 : 0, c.name);
    if (c.event) assert.ok(recorder.events.includes(c.event), `${c.name}: ${recorder.events.join('; ')}`);
  }
});

test('a run missed by more than startingDeadlineSeconds is skipped, the next one still scheduled', async () => {
  const cj = cronJob({ schedule: '*/10 * * * *', startingDeadlineSeconds: 30 }, { lastScheduleTime: '2026-01-01T10:00:00Z' });
  const { client, controller, recorder } = setup(cj, [], Date.parse('2026-01-01T10:10:45Z'));
  const result = await controller.sync('default/hello');
  assert.equal(client.writes().filter((a) => a.verb === 'create').length, 0);
  assert.equal(result?.requeueAfterMs, (9 * 60 + 15) * 1000 + 100);
  assert.deepEqual(recorder.events, [], 'outside the window: not even considered');
});

test('too many missed start times warn, and the latest one still runs', async () => {
  const { client, controller, recorder } = setup(cronJob(), [], Date.parse('2026-01-01T14:00:05Z'));
  await controller.sync('default/hello');
  assert.ok(recorder.events.includes('Warning TooManyMissedTimes too many missed start times: 240. Set or decrease .spec.startingDeadlineSeconds or check clock skew'));
  assert.equal(client.writes().filter((a) => a.verb === 'create').length, 1);
});

test('a bad schedule or time zone is an event, not a retry', async () => {
  const cases: Array<[Partial<batchv1.CronJobSpec>, string]> = [
    [{ schedule: '61 * * * *' }, 'Warning UnparseableSchedule unparseable schedule: "61 * * * *" : end of range (61) above maximum (59): 61'],
    [{ timeZone: 'Mars/Olympus' }, 'Warning UnknownTimeZone invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus'],
  ];
  for (const [spec, event] of cases) {
    const { controller, recorder } = setup(cronJob(spec), [], Date.parse('2026-01-01T10:05:05Z'));
    assert.equal(await controller.sync('default/hello'), undefined);
    assert.deepEqual(recorder.events, [event]);
  }
});

test('finished Jobs leave status.active, set lastSuccessfulTime, and old ones are deleted beyond the limits', async () => {
  const jobs = [
    ownedJob('ok-1', { type: 'Complete', at: '2026-01-01T09:01:00Z' }),
    ownedJob('ok-2', { type: 'Complete', at: '2026-01-01T09:02:00Z' }),
    ownedJob('ok-3', { type: 'Complete', at: '2026-01-01T09:03:00Z' }),
    ownedJob('ok-4', { type: 'Complete', at: '2026-01-01T09:04:00Z' }),
    ownedJob('bad-1', { type: 'Failed', at: '2026-01-01T09:05:00Z' }),
    ownedJob('bad-2', { type: 'Failed', at: '2026-01-01T09:06:00Z' }),
  ];
  const status = { active: [{ kind: 'Job', name: 'ok-4', namespace: 'default', uid: 'uid-ok-4', apiVersion: 'batch/v1' }, { kind: 'Job', name: 'gone', namespace: 'default', uid: 'uid-gone', apiVersion: 'batch/v1' }] };
  const { client, controller, recorder, stored } = setup(cronJob({ suspend: true }, status), jobs, Date.parse('2026-01-01T10:00:40Z'));
  await controller.sync('default/hello');
  const s = (await stored()).status!;
  assert.equal(s.active, undefined);
  assert.equal(s.lastSuccessfulTime, '2026-01-01T09:04:00Z');
  assert.ok(recorder.events.includes('Normal SawCompletedJob Saw completed job: ok-4, condition: Complete'));
  assert.ok(recorder.events.includes('Normal MissingJob Active job went missing: gone'));
  const deleted = client.writes().filter((a) => a.verb === 'delete').map((a) => a.name).sort();
  assert.deepEqual(deleted, ['bad-1', 'ok-1']);
});
