// The Job controller's sync against fakes: injected API failures (pod creation refused, a status write
// conflict), expectations that stop a stale cache from doubling pods, the pod backoff on an injected clock,
// and the status written for a fresh Job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as batchv1 from '../../../api/generated/batch/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { isConflict, newConflict, newForbidden } from '../../../apimachinery/errors.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { resources } from '../../controller-context.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { JobController, jobsResource, type Job } from './job-controller.js';
import { jobTrackingFinalizer } from './job-pods.js';

type Pod = Typed<corev1.Pod>;
const start = Date.UTC(2026, 0, 1, 12);

function job(spec: Partial<batchv1.JobSpec> = {}, status: batchv1.JobStatus = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid', resourceVersion: '1', generation: 1 },
    spec: {
      completions: 2,
      parallelism: 2,
      backoffLimit: 6,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
      template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
    status,
  };
}

function failedPod(name: string, finishedAt: number): Pod {
  const at = new Date(finishedAt).toISOString().replace('.000Z', 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: { 'batch.kubernetes.io/controller-uid': 'job-uid' },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
    status: { phase: 'Failed', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, finishedAt: at } } }] },
  };
}

function setup(j: Job, pods: Pod[] = []) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  client.seed(jobsResource, j);
  for (const p of pods) client.seed(resources.pods, p);
  const jobs = new FakeInformer<Job>([j]);
  const podInformer = new FakeInformer<Pod>(pods);
  const recorder = new RecordingRecorder();
  const controller = new JobController({
    client,
    jobs,
    pods: podInformer,
    recorder,
    queue: new RecordingQueue(),
    orphanQueue: new RecordingQueue(),
    clock,
    logger: newLogger({ write: () => {} }),
  });
  return { clock, client, controller, recorder, podInformer, jobs };
}

test('a fresh Job gets its pods (finalizer, owner) and a status with startTime, active and ready', async () => {
  const { client, controller } = setup(job());
  await controller.sync('default/pi');
  const created = client.writes().filter((a) => a.verb === 'create' && a.resource === 'pods');
  assert.equal(created.length, 2);
  const pod = created[0]!.body as Pod;
  assert.deepEqual(pod.metadata?.finalizers, [jobTrackingFinalizer]);
  assert.equal(pod.metadata?.generateName, 'pi-');
  assert.deepEqual(pod.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
  const stored = await client.resource<Job>(jobsResource, 'default').get('pi');
  assert.deepEqual(stored.status, { startTime: '2026-01-01T12:00:00Z', active: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
});

test('expectations: a second sync before the informer saw the pods creates nothing', async () => {
  const { client, controller } = setup(job());
  await controller.sync('default/pi');
  await controller.sync('default/pi').catch(() => undefined);
  assert.equal(client.writes().filter((a) => a.verb === 'create' && a.resource === 'pods').length, 2);
});

test('refused pod creations: FailedCreate, the sync fails (retried), and expectations do not block the retry', async () => {
  const { client, controller, recorder } = setup(job());
  client.prependReactor((a) => (a.verb === 'create' && a.resource === 'pods' ? newForbidden({ group: '', resource: 'pods' }, '', 'exceeded quota') : undefined));
  await assert.rejects(controller.sync('default/pi'));
  assert.ok(recorder.events.some((e) => e.startsWith('Warning FailedCreate Error creating: ')));
  assert.equal(controller.expectations.satisfiedExpectations('default/pi'), true);
});

test('a status write conflict rejects the sync so it is retried on fresh data', async () => {
  const { client, controller } = setup(job());
  client.prependReactor((a) => (a.verb === 'update' && a.subresource === 'status' ? newConflict({ group: 'batch', resource: 'jobs' }, 'pi', 'the object has been modified') : undefined));
  await assert.rejects(controller.sync('default/pi'), (err: unknown) => isConflict(err));
});

test('after a failure the replacement waits for the pod backoff on the injected clock', async () => {
  const j = job({ completions: 1, parallelism: 1 }, { startTime: '2026-01-01T11:59:00Z', ready: 0, terminating: 0, uncountedTerminatedPods: {} });
  const pod = failedPod('pi-a', start - 2_000);
  pod.metadata!.finalizers = [jobTrackingFinalizer];
  const { client, controller, clock, podInformer, jobs } = setup(j, [pod]);
  const result = await controller.sync('default/pi');
  const stored = await client.resource<Job>(jobsResource, 'default').get('pi');
  assert.equal(stored.status?.failed, 1, 'counted once its finalizer went');
  assert.equal(client.writes().filter((a) => a.verb === 'create').length, 0, 'no replacement during the backoff');
  assert.deepEqual(result, { requeueAfterMs: 8_000 }, '10 s after the failure, 2 s of which have passed');
  // The informer shows the released pod; the backoff has passed.
  clock.step(8_000);
  podInformer.update({ ...pod, metadata: { ...pod.metadata, finalizers: [] } });
  const latest = await client.resource<Job>(jobsResource, 'default').get('pi');
  jobs.update(latest);
  await controller.sync('default/pi');
  assert.equal(client.writes().filter((a) => a.verb === 'create' && a.resource === 'pods').length, 1);
});
