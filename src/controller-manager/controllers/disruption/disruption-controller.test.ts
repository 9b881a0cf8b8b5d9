// PodDisruptionBudget status against fakes: expected and desired counts for minAvailable/maxUnavailable as
// numbers and percentages (scaled by the pods' controllers), healthy pods, the DisruptionAllowed condition,
// expiry of stale disruptedPods entries, and the fail-safe for pods whose controller is missing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import type * as policyv1 from '../../../api/generated/policy/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';

type Pod = Typed<corev1.Pod>;
type ReplicaSet = Typed<appsv1.ReplicaSet>;
type Deployment = Typed<appsv1.Deployment>;
import { metaTime } from '../../conditions.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { DisruptionController, pdbsResource, type PodDisruptionBudget } from './disruption-controller.js';
import { expectedPodCount, scaledValue } from './expected-pods.js';

const start = Date.UTC(2026, 0, 1);

function pod(name: string, ready: boolean, owner?: { kind: string; name: string; uid: string; apiVersion?: string }): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      labels: { app: 'web' },
      ownerReferences: owner ? [{ apiVersion: owner.apiVersion ?? 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true }] : undefined,
    },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  } as Pod;
}

test('scaled values and expected counts', async () => {
  assert.equal(scaledValue('50%', 5, true), 3);
  assert.equal(scaledValue('50%', 5, false), 2);
  assert.equal(scaledValue(2, 5, true), 2);
  assert.throws(() => scaledValue('2', 5, true), /is not a percentage/);
  const pods = [pod('a', true, { kind: 'ReplicaSet', name: 'rs', uid: 'u1' }), pod('b', true, { kind: 'ReplicaSet', name: 'rs', uid: 'u1' }), pod('lone', true)];
  const scaleOf = async (p: Pod) => (p.metadata?.ownerReferences ? { controllerUID: 'u1', replicas: 4 } : undefined);
  assert.deepEqual(await expectedPodCount({ minAvailable: 2 }, pods, scaleOf), { expectedCount: 3, desiredHealthy: 2, unmanagedPods: [] });
  assert.deepEqual(await expectedPodCount({ minAvailable: '50%' }, pods, scaleOf), { expectedCount: 4, desiredHealthy: 2, unmanagedPods: ['lone'] });
  assert.deepEqual(await expectedPodCount({ maxUnavailable: '25%' }, pods, scaleOf), { expectedCount: 4, desiredHealthy: 3, unmanagedPods: ['lone'] });
  await assert.rejects(expectedPodCount({ maxUnavailable: 1 }, pods, async () => 'not-found'), /found no controllers for pod "a"/);
});

function setup(pdbs: PodDisruptionBudget[], pods: Pod[], owners: { rs?: ReplicaSet[]; deployments?: Deployment[] } = {}) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  for (const p of pdbs) client.seed(pdbsResource, p);
  const recorder = new RecordingRecorder();
  const stalePodQueue = new RecordingQueue();
  const controller = new DisruptionController({
    client,
    pdbs: new FakeInformer<PodDisruptionBudget>(pdbs),
    pods: new FakeInformer(pods),
    replicationControllers: new FakeInformer([]),
    replicaSets: new FakeInformer(owners.rs ?? []),
    deployments: new FakeInformer(owners.deployments ?? []),
    statefulSets: new FakeInformer([]),
    recorder,
    queue: new RecordingQueue(),
    stalePodQueue,
    clock,
    logger: newLogger({ write: () => {} }),
  });
  const status = (name: string) => (client.objects.get(client.key(pdbsResource, 'ns', name)) as PodDisruptionBudget).status!;
  return { client, clock, recorder, controller, status, stalePodQueue };
}

const budget = (name: string, spec: Partial<policyv1.PodDisruptionBudgetSpec>, status?: policyv1.PodDisruptionBudgetStatus): PodDisruptionBudget => ({
  metadata: { name, namespace: 'ns', generation: 2, resourceVersion: '1' },
  spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  status,
});

test('minAvailable: healthy pods above the minimum are allowed disruptions', async () => {
  const s = setup([budget('min2', { minAvailable: 2 })], [pod('a', true), pod('b', true), pod('c', true), pod('d', false)]);
  await s.controller.sync('ns/min2');
  const st = s.status('min2');
  assert.deepEqual([st.expectedPods, st.currentHealthy, st.desiredHealthy, st.disruptionsAllowed, st.observedGeneration], [4, 3, 2, 1, 2]);
  assert.deepEqual(st.conditions?.map((c) => [c.type, c.status, c.reason, c.observedGeneration]), [['DisruptionAllowed', 'True', 'SufficientPods', 2]]);
});

test('maxUnavailable scales with the Deployment that owns the pods’ ReplicaSet', async () => {
  const rs = { metadata: { name: 'rs', namespace: 'ns', uid: 'rs-uid', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }] }, spec: { replicas: 3 } } as ReplicaSet;
  const deployment = { metadata: { name: 'web', namespace: 'ns', uid: 'd-uid' }, spec: { replicas: 5 } } as Deployment;
  const owned = (n: string, ready: boolean) => pod(n, ready, { kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid' });
  const s = setup([budget('max1', { maxUnavailable: 1 })], [owned('a', true), owned('b', true), owned('c', true)], { rs: [rs], deployments: [deployment] });
  await s.controller.sync('ns/max1');
  const st = s.status('max1');
  assert.deepEqual([st.expectedPods, st.currentHealthy, st.desiredHealthy, st.disruptionsAllowed], [5, 3, 4, 0]);
  assert.deepEqual(st.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
});

test('recent disruptedPods entries are not healthy; old ones expire and the sync asks to recheck', async () => {
  const recorded = { a: metaTime(start - 30_000), b: metaTime(start - 300_000) };
  const s = setup([budget('min1', { minAvailable: 1 }, { disruptedPods: recorded, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 })], [pod('a', true), pod('b', true)]);
  const result = await s.controller.sync('ns/min1');
  const st = s.status('min1');
  assert.deepEqual(st.disruptedPods, { a: recorded.a });
  assert.equal(st.currentHealthy, 1);
  assert.equal(st.disruptionsAllowed, 0);
  assert.deepEqual(result, { requeueAfterMs: 90_000 });
});

test('pods whose controller cannot be found make the budget fail safe', async () => {
  const s = setup([budget('pct', { minAvailable: '50%' })], [pod('a', true, { kind: 'ReplicaSet', name: 'gone', uid: 'x' })]);
  await s.controller.sync('ns/pct');
  const st = s.status('pct');
  assert.equal(st.disruptionsAllowed, 0);
  assert.deepEqual(st.conditions?.map((c) => [c.status, c.reason, c.message]), [['False', 'SyncFailed', 'found no controllers for pod "a"']]);
  assert.ok(s.recorder.events.some((e) => e.startsWith('Warning CalculateExpectedPodCountFailed')));
  const none = setup([budget('empty', { minAvailable: 1, selector: { matchLabels: { app: 'other' } } })], [pod('a', true)]);
  await none.controller.sync('ns/empty');
  assert.deepEqual(none.recorder.events, ['Normal NoPods No matching pods found']);
});

test('a DisruptionTarget condition left on a live pod is reset after two minutes', async () => {
  const marked = pod('a', true);
  marked.status!.conditions!.push({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', lastTransitionTime: metaTime(start - 30_000) });
  const s = setup([], [marked, pod('b', true)]);
  assert.deepEqual(s.stalePodQueue.addedAfter, [{ item: 'ns/a', ms: 90_000 }]);
  assert.deepEqual(await s.controller.syncStalePodDisruption('ns/a'), { requeueAfterMs: 90_000 });
  s.clock.step(90_000);
  await s.controller.syncStalePodDisruption('ns/a');
  const [write] = s.client.writes();
  assert.equal(write?.verb, 'patch');
  assert.equal(write?.subresource, 'status');
  assert.deepEqual((write?.body as { status: unknown }).status, { conditions: [{ type: 'DisruptionTarget', status: 'False', lastTransitionTime: metaTime(s.clock.now()) }] });
  assert.equal(await s.controller.syncStalePodDisruption('ns/b'), undefined);
});
