// The CronJob controller against an in-process apiserver with an injected clock: a `*/1 * * * *` CronJob
// fires when the clock reaches the next minute (the requeue timer of its work queue runs on that clock),
// the Job carries the scheduled-timestamp annotation, and a finished Job leaves status.active and sets
// lastSuccessfulTime. Nobody waits for real minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as batchv1 from '../../src/api/generated/batch/v1.js';
import { FakeClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { CronJobController, cronJobScheduledTimestampAnnotation, cronJobsResource, type CronJob } from '../../src/controller-manager/controllers/cronjob/cronjob-controller.js';
import { jobsResource, type Job } from '../../src/controller-manager/controllers/job/job-controller.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

const until = (cond: () => boolean | Promise<boolean>): Promise<void> => poll({ intervalMs: 20, timeoutMs: 15_000 }, cond);

test('a CronJob fires at its next activation on the injected clock and tracks the Job it started', async (t) => {
  const cluster = await startInProcessAPIServer(t);
  const { client } = cluster;
  const logger = newLogger({ write: () => {} });
  const factory = new SharedInformerFactory({ client: cluster.newClient(), logger });
  const clock = new FakeClock(Date.now());
  const recorder = new RecordingRecorder();
  const controller = new CronJobController({
    client: cluster.newClient(),
    cronJobs: factory.forResource<CronJob>(cronJobsResource),
    jobs: factory.forResource<Job>(jobsResource),
    recorder,
    // The queue's delays (requeue to the next activation) run on the fake clock.
    queue: newRateLimitingQueue(defaultControllerRateLimiter<string>(clock), { name: 'cronjob', clock }),
    clock,
    logger,
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  assert.equal(await factory.waitForCacheSync(ac.signal), true);
  const running = controller.run({ workers: 1, signal: ac.signal });
  t.after(async () => {
    ac.abort();
    await running;
    await factory.shutdown();
  });

  const cronJobs = client.resource<CronJob>(cronJobsResource, 'default');
  const jobs = client.resource<Job>(jobsResource, 'default');
  const spec: batchv1.CronJobSpec = {
    schedule: '*/1 * * * *',
    jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } },
  };
  const created = await cronJobs.create({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tick' }, spec });
  // The first sync finds nothing due and arms the requeue for the next minute.
  await until(() => clock.pendingTimers() > 0);
  assert.equal((await jobs.list()).items.length, 0);

  // The first activation after both the clock's now and the CronJob's creation (real time, whole seconds): a test
  // starting just before a minute boundary must not aim at a minute the CronJob was created in.
  const createdAt = Date.parse(created.metadata?.creationTimestamp ?? '') || 0;
  const nextMinute = Math.floor(Math.max(clock.now(), createdAt) / 60_000) * 60_000 + 60_000;
  clock.setTime(nextMinute + 500);
  await until(async () => (await jobs.list()).items.length === 1);
  const job = (await jobs.list()).items[0]!;
  assert.equal(job.metadata?.name, `tick-${nextMinute / 60_000}`);
  assert.equal(job.metadata?.annotations?.[cronJobScheduledTimestampAnnotation], new Date(nextMinute).toISOString().replace('.000Z', 'Z'));
  assert.equal(job.metadata?.labels?.team, 'a');
  assert.equal(job.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
  await until(async () => (await cronJobs.get('tick')).status?.active?.length === 1);
  const status = (await cronJobs.get('tick')).status!;
  assert.equal(status.active?.[0]?.name, job.metadata?.name);
  assert.equal(status.lastScheduleTime, new Date(nextMinute).toISOString().replace('.000Z', 'Z'));

  // The Job controller's part, played by the test: the Job succeeds.
  const finishedAt = new Date(nextMinute + 5_000).toISOString().replace('.000Z', 'Z');
  const condition = (type: string) => ({ type, status: 'True', lastProbeTime: finishedAt, lastTransitionTime: finishedAt, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
  await jobs.patch(job.metadata!.name!, 'merge', { status: { startTime: finishedAt, completionTime: finishedAt, succeeded: 1, conditions: [condition('SuccessCriteriaMet'), condition('Complete')] } }, { subresource: 'status' });
  await until(async () => (await cronJobs.get('tick')).status?.lastSuccessfulTime === finishedAt);
  assert.equal((await cronJobs.get('tick')).status?.active, undefined);
  assert.ok(recorder.events.includes(`Normal SawCompletedJob Saw completed job: ${job.metadata?.name}, condition: Complete`));
  assert.ok(recorder.events.includes(`Normal SuccessfulCreate Created job ${job.metadata?.name}`));
});
