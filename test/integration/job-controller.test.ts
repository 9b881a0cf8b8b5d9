// The Job controller against an in-process apiserver: the test plays the kubelet by writing pod phases.
// A Job runs to completion (NonIndexed and Indexed), backoffLimit fails it, podFailurePolicy FailJob and
// suspend behave as upstream, and finished pods lose the tracking finalizer.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type * as batchv1 from '../../src/api/generated/batch/v1.js';
import type * as corev1 from '../../src/api/generated/core/v1.js';
import { realClock } from '../../src/base/clock.js';
import { newLogger } from '../../src/base/logger.js';
import { poll } from '../../src/base/wait.js';
import { SharedInformerFactory } from '../../src/client/cache/informer-factory.js';
import type { Interface } from '../../src/client/rest/interface.js';
import type { Typed } from '../../src/client/typed.js';
import { defaultControllerRateLimiter } from '../../src/client/workqueue/rate-limiters.js';
import { newRateLimitingQueue } from '../../src/client/workqueue/rate-limiting-queue.js';
import { resources } from '../../src/controller-manager/controller-context.js';
import { JobController, jobsResource, type Job } from '../../src/controller-manager/controllers/job/job-controller.js';
import { jobCompletionIndexAnnotation } from '../../src/controller-manager/controllers/job/indexes.js';
import { jobTrackingFinalizer } from '../../src/controller-manager/controllers/job/job-pods.js';
import { RecordingRecorder } from '../../src/controller-manager/testing/recording-recorder.js';
import { startInProcessAPIServer } from '../harness/in-process-apiserver.js';

type Pod = Typed<corev1.Pod>;

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> => poll({ intervalMs: 20, timeoutMs }, cond);

/** A cluster with only the Job controller running (pod backoff shortened to 50 ms). */
async function startJobController(t: TestContext): Promise<{ client: Interface; recorder: RecordingRecorder }> {
  const cluster = await startInProcessAPIServer(t);
  // The serviceaccount controller's work: the ServiceAccount admission plugin wants `default`.
  await cluster.client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ metadata: { name: 'default' } });
  const logger = newLogger({ write: process.env.JOB_TEST_LOG ? (s: string) => process.stderr.write(s) : () => {} });
  const factory = new SharedInformerFactory({ client: cluster.newClient(), logger });
  const recorder = new RecordingRecorder();
  const queue = (name: string) => newRateLimitingQueue(defaultControllerRateLimiter<string>(realClock), { name, clock: realClock });
  const controller = new JobController({
    client: cluster.newClient(),
    jobs: factory.forResource<Job>(jobsResource),
    pods: factory.forResource<Pod>(resources.pods),
    recorder,
    queue: queue('job'),
    orphanQueue: queue('job_orphan_pod'),
    clock: realClock,
    logger,
    podBackoff: { baseMs: 50, maxMs: 200 },
  });
  const ac = new AbortController();
  factory.start(ac.signal);
  const running = controller.run({ workers: 2, signal: ac.signal });
  t.after(async () => {
    ac.abort();
    await running;
    await factory.shutdown();
  });
  return { client: cluster.client, recorder };
}

function jobSpec(name: string, spec: Partial<batchv1.JobSpec>): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } }, ...spec },
  };
}

const pods = (client: Interface) => client.resource<Pod>(resources.pods, 'default');
const jobs = (client: Interface) => client.resource<Job>(jobsResource, 'default');

async function podsOf(client: Interface, job: string): Promise<Pod[]> {
  return (await pods(client).list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
}

/** Plays the kubelet for one pod: its containers exit with `exitCode` (0 → Succeeded, else Failed). */
async function finishPod(client: Interface, pod: Pod, exitCode: number): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: now, finishedAt: now };
  await pods(client).patch(pod.metadata!.name!, 'merge', {
    status: {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated } }],
    },
  }, { subresource: 'status' });
}

const running = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

function condition(job: Job, type: string): batchv1.JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

test('a NonIndexed Job runs 4 completions 2 at a time and completes', async (t) => {
  const { client, recorder } = await startJobController(t);
  await jobs(client).create(jobSpec('pi', { completions: 4, parallelism: 2 }));
  let maxActive = 0;
  const finished = new Set<string>();
  await until(async () => {
    const job = await jobs(client).get('pi');
    if (condition(job, 'Complete')) return true;
    const active = (await podsOf(client, 'pi')).filter(running);
    maxActive = Math.max(maxActive, active.length);
    for (const p of active) {
      if (finished.has(p.metadata!.uid!)) continue;
      finished.add(p.metadata!.uid!);
      await finishPod(client, p, 0);
    }
    return false;
  });
  const job = await jobs(client).get('pi');
  assert.equal(job.status?.succeeded, 4);
  assert.equal(job.status?.failed, undefined);
  assert.equal(job.status?.active, undefined);
  assert.equal(job.status?.ready, 0);
  assert.deepEqual(job.status?.uncountedTerminatedPods, {});
  assert.ok(job.status?.completionTime && job.status.startTime);
  assert.equal(condition(job, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
  assert.equal(condition(job, 'Complete')?.message, 'Reached expected number of succeeded pods');
  assert.ok(maxActive <= 2, `at most parallelism pods at once, saw ${maxActive}`);
  const left = await podsOf(client, 'pi');
  assert.equal(left.length, 4);
  for (const p of left) {
    assert.ok(!p.metadata?.finalizers?.includes(jobTrackingFinalizer), 'finalizer removed once counted');
    assert.equal(p.metadata?.labels?.['batch.kubernetes.io/controller-uid'], job.metadata?.uid);
    assert.equal(p.metadata?.labels?.['job-name'], 'pi');
    assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'Job');
  }
  assert.deepEqual(recorder.events.filter((e) => e.startsWith('Normal Completed')), ['Normal Completed Job completed']);
  assert.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: pi-')).length, 4);
});

test('backoffLimit: replacements until the limit, then BackoffLimitExceeded', async (t) => {
  const { client, recorder } = await startJobController(t);
  await jobs(client).create(jobSpec('flaky', { completions: 1, parallelism: 1, backoffLimit: 2 }));
  const failedUIDs = new Set<string>();
  await until(async () => {
    const job = await jobs(client).get('flaky');
    if (condition(job, 'Failed')) return true;
    for (const p of (await podsOf(client, 'flaky')).filter(running)) {
      if (failedUIDs.has(p.metadata!.uid!)) continue;
      failedUIDs.add(p.metadata!.uid!);
      await finishPod(client, p, 1);
    }
    return false;
  });
  const job = await jobs(client).get('flaky');
  assert.equal(failedUIDs.size, 3, 'backoffLimit 2 means three pods');
  assert.equal(job.status?.failed, 3);
  assert.equal(condition(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
  assert.equal(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
  assert.equal(condition(job, 'Failed')?.message, 'Job has reached the specified backoff limit');
  assert.equal(job.status?.completionTime, undefined);
  assert.ok(recorder.events.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
});

test('an Indexed Job creates one pod per index with the index annotation, label, hostname and env', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  await until(async () => (await podsOf(client, 'idx')).length === 3);
  const created = await podsOf(client, 'idx');
  const indexes = created.map((p) => p.metadata?.annotations?.[jobCompletionIndexAnnotation]).sort();
  assert.deepEqual(indexes, ['0', '1', '2']);
  for (const p of created) {
    const index = p.metadata!.annotations![jobCompletionIndexAnnotation]!;
    assert.equal(p.metadata?.labels?.[jobCompletionIndexAnnotation], index);
    assert.equal(p.spec?.hostname, `idx-${index}`);
    assert.ok(p.metadata?.name?.startsWith(`idx-${index}-`));
    assert.deepEqual(p.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, `metadata.annotations['${jobCompletionIndexAnnotation}']`);
  }
  // Index 1 fails once: it is recreated with the same index; then everything succeeds.
  await finishPod(client, created.find((p) => p.metadata!.annotations![jobCompletionIndexAnnotation] === '1')!, 1);
  await until(async () => (await podsOf(client, 'idx')).filter((p) => running(p) && p.metadata?.annotations?.[jobCompletionIndexAnnotation] === '1').length === 1);
  for (const p of (await podsOf(client, 'idx')).filter(running)) await finishPod(client, p, 0);
  await until(async () => condition(await jobs(client).get('idx'), 'Complete') !== undefined);
  const job = await jobs(client).get('idx');
  assert.equal(job.status?.completedIndexes, '0-2');
  assert.equal(job.status?.succeeded, 3);
  assert.equal(job.status?.failed, 1);
});

test('backoffLimitPerIndex: an index failing past its limit is failed; the Job ends FailedIndexes', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('per', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
  const ofIndex = async (i: string) => (await podsOf(client, 'per')).filter((p) => running(p) && p.metadata?.annotations?.[jobCompletionIndexAnnotation] === i);
  await until(async () => (await podsOf(client, 'per')).filter(running).length === 3);
  await finishPod(client, (await ofIndex('1'))[0]!, 1);
  await until(async () => (await ofIndex('1')).length === 1);
  const retry = (await ofIndex('1'))[0]!;
  assert.equal(retry.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count'], '1');
  await finishPod(client, retry, 1);
  for (const i of ['0', '2']) await finishPod(client, (await ofIndex(i))[0]!, 0);
  await until(async () => condition(await jobs(client).get('per'), 'Failed') !== undefined);
  const job = await jobs(client).get('per');
  assert.equal(condition(job, 'Failed')?.reason, 'FailedIndexes');
  assert.equal(condition(job, 'Failed')?.message, 'Job has failed indexes');
  assert.equal(job.status?.failedIndexes, '1');
  assert.equal(job.status?.completedIndexes, '0,2');
  assert.equal(job.status?.failed, 2);
  assert.equal((await ofIndex('1')).length, 0, 'no third pod for the failed index');
});

test('successPolicy: the leader index succeeding completes the Job, its other pods are deleted', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
  const ofIndex = async (i: string) => (await podsOf(client, 'leader')).filter((p) => running(p) && p.metadata?.annotations?.[jobCompletionIndexAnnotation] === i);
  await until(async () => (await podsOf(client, 'leader')).filter(running).length === 3);
  // A worker finishing first matches no rule.
  await finishPod(client, (await ofIndex('2'))[0]!, 0);
  await until(async () => (await jobs(client).get('leader')).status?.completedIndexes === '2');
  assert.equal(condition(await jobs(client).get('leader'), 'SuccessCriteriaMet'), undefined);
  await finishPod(client, (await ofIndex('0'))[0]!, 0);
  await until(async () => condition(await jobs(client).get('leader'), 'Complete') !== undefined);
  const job = await jobs(client).get('leader');
  for (const type of ['SuccessCriteriaMet', 'Complete']) {
    assert.equal(condition(job, type)?.reason, 'SuccessPolicy');
    assert.equal(condition(job, type)?.message, 'Matched rules at index 0');
  }
  assert.equal(job.status?.completedIndexes, '0,2');
  assert.equal(job.status?.succeeded, 2);
  assert.ok(job.status?.completionTime);
  assert.equal((await ofIndex('1')).length, 0, 'index 1 was deleted, not replaced');
});

test('podFailurePolicy FailJob on an exit code fails the Job at once; Ignore does not count', async (t) => {
  const { client } = await startJobController(t);
  const podFailurePolicy = {
    rules: [
      { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
      { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    ],
  };
  await jobs(client).create(jobSpec('pfp', { completions: 1, backoffLimit: 5, podFailurePolicy }));
  await until(async () => (await podsOf(client, 'pfp')).filter(running).length === 1);
  await finishPod(client, (await podsOf(client, 'pfp')).filter(running)[0]!, 7);
  await until(async () => (await podsOf(client, 'pfp')).filter(running).length === 1);
  await finishPod(client, (await podsOf(client, 'pfp')).filter(running)[0]!, 42);
  await until(async () => condition(await jobs(client).get('pfp'), 'Failed') !== undefined);
  const job = await jobs(client).get('pfp');
  const failed = condition(job, 'Failed')!;
  assert.equal(failed.reason, 'PodFailurePolicy');
  assert.match(failed.message ?? '', /^Container main for pod default\/pfp-[a-z0-9]+ failed with exit code 42 matching FailJob rule at index 1$/);
  assert.equal(job.status?.failed, 1, 'the ignored failure is not counted');
});

test('suspend deletes the active pods and sets Suspended; resume recreates them', async (t) => {
  const { client, recorder } = await startJobController(t);
  await jobs(client).create(jobSpec('sus', { completions: 2, parallelism: 2 }));
  await until(async () => (await podsOf(client, 'sus')).filter(running).length === 2);
  await jobs(client).patch('sus', 'merge', { spec: { suspend: true } });
  await until(async () => {
    const job = await jobs(client).get('sus');
    return condition(job, 'Suspended')?.reason === 'JobSuspended' && (await podsOf(client, 'sus')).length === 0;
  });
  assert.equal((await jobs(client).get('sus')).status?.failed, undefined, 'suspended pods are not failures');
  await jobs(client).patch('sus', 'merge', { spec: { suspend: false } });
  await until(async () => (await podsOf(client, 'sus')).filter(running).length === 2);
  await until(async () => (await jobs(client).get('sus')).status?.conditions?.find((c) => c.type === 'Suspended')?.reason === 'JobResumed');
  assert.deepEqual(recorder.events.filter((e) => /^Normal (Suspended|Resumed) /.test(e)), ['Normal Suspended Job suspended', 'Normal Resumed Job resumed']);
});

test('pods of a deleted Job lose the tracking finalizer (orphan cleanup)', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('gone', { completions: 2, parallelism: 2 }));
  await until(async () => (await podsOf(client, 'gone')).length === 2);
  // Background deletion removes the Job at once; no garbage collector runs here, so the pods stay.
  await jobs(client).delete('gone', { propagationPolicy: 'Background' });
  await until(async () => (await podsOf(client, 'gone')).every((p) => !p.metadata?.finalizers?.includes(jobTrackingFinalizer)));
  assert.equal((await podsOf(client, 'gone')).length, 2);
});

test('without completions, the first success ends the Job once the others finish (work queue)', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('queue', { parallelism: 3 }));
  await until(async () => (await podsOf(client, 'queue')).filter(running).length === 3);
  const [first, ...rest] = (await podsOf(client, 'queue')).filter(running);
  await finishPod(client, first!, 0);
  await until(async () => (await jobs(client).get('queue')).status?.succeeded === 1);
  assert.equal((await podsOf(client, 'queue')).filter(running).length, 2, 'no new pods after a success');
  assert.equal(condition(await jobs(client).get('queue'), 'Complete'), undefined, 'others still run');
  for (const p of rest) await finishPod(client, p, 0);
  await until(async () => condition(await jobs(client).get('queue'), 'Complete') !== undefined);
  assert.equal((await jobs(client).get('queue')).status?.succeeded, 3);
});

test('activeDeadlineSeconds fails a Job that runs too long and deletes its pods', async (t) => {
  const { client } = await startJobController(t);
  await jobs(client).create(jobSpec('slow', { completions: 1, activeDeadlineSeconds: 1 }));
  await until(async () => condition(await jobs(client).get('slow'), 'Failed') !== undefined);
  const job = await jobs(client).get('slow');
  assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
  assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
  await until(async () => (await podsOf(client, 'slow')).length === 0);
});

