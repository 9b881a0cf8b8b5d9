// The ReplicaSet controller's sync against fakes: slow-start creates, which pods go on scale-down,
// adoption and release, expectations, status and ReplicaFailure, injected API failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { StatusError, newForbidden } from '../../../apimachinery/errors.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { resources } from '../../controller-context.js';
import { RealPodControl } from '../../pod-control.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { replicaSetKind, replicationControllerKind, type Replicated } from './replicated.js';

type Pod = Typed<corev1.Pod>;
type ReplicaSet = Typed<appsv1.ReplicaSet>;

const start = Date.UTC(2026, 0, 1, 12);

function rs(name: string, replicas: number, extra: { minReadySeconds?: number; generation?: number; ownerUID?: string } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      generation: extra.generation ?? 1,
      ...(extra.ownerUID ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: extra.ownerUID, controller: true }] } : {}),
    },
    spec: {
      replicas,
      minReadySeconds: extra.minReadySeconds,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
    status: { replicas: 0 },
  };
}

interface PodOpts {
  owner?: ReplicaSet;
  labels?: Record<string, string>;
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: number;
  created?: number;
  restarts?: number;
  deleting?: boolean;
  cost?: string;
}

function pod(name: string, o: PodOpts = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      labels: o.labels ?? (o.owner ? { app: o.owner.metadata!.name! } : {}),
      creationTimestamp: new Date(o.created ?? start - 3_600_000).toISOString().replace('.000Z', 'Z'),
      ...(o.deleting ? { deletionTimestamp: new Date(start).toISOString() } : {}),
      ...(o.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner.metadata!.name!, uid: o.owner.metadata!.uid!, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: o.ready ? 'True' : 'False',
          lastTransitionTime: new Date(o.readySince ?? start - 600_000).toISOString().replace('.000Z', 'Z'),
        },
      ],
      containerStatuses: [{ name: 'c', image: 'nginx', imageID: '', ready: Boolean(o.ready), restartCount: o.restarts ?? 0 }],
    },
  };
}

function setup(replicaSets: ReplicaSet[], pods: Pod[]) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  for (const r of replicaSets) client.seed(resources.replicaSets, r);
  for (const p of pods) client.seed(resources.pods, p);
  const rsInformer = new FakeInformer<Replicated>(replicaSets);
  const podInformer = new FakeInformer<Pod>(pods);
  const recorder = new RecordingRecorder();
  const queue = new RecordingQueue();
  const controller = new ReplicaSetController({
    kind: replicaSetKind,
    client,
    replicaSets: rsInformer,
    pods: podInformer,
    podControl: new RealPodControl(client, recorder),
    queue,
    clock,
    logger: newLogger({ write: () => {} }),
  });
  return { clock, client, rsInformer, podInformer, recorder, queue, controller };
}

function storedRS(client: FakeClient, name: string): ReplicaSet {
  return client.objects.get(client.key(resources.replicaSets, 'default', name)) as ReplicaSet;
}

test('creates missing pods with generateName, owner reference and template labels, then waits for them', async () => {
  const web = rs('web', 3);
  const { client, controller, recorder, podInformer } = setup([web], []);
  await controller.sync('default/web');
  const creates = client.writes().filter((a) => a.verb === 'create');
  assert.equal(creates.length, 3);
  for (const c of creates) {
    const body = c.body as Pod;
    assert.equal(body.metadata?.generateName, 'web-');
    assert.deepEqual(body.metadata?.labels, { app: 'web' });
    assert.deepEqual(body.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }]);
  }
  assert.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-')).length, 3);
  // Until the informer shows the three pods, another sync must not create more.
  assert.equal(controller.expectations.satisfiedExpectations('default/web'), false);
  const before = client.writes().length;
  await controller.sync('default/web');
  assert.equal(client.writes().filter((a) => a.verb === 'create').length, 3, 'no duplicate creates while expectations are pending');
  assert.ok(client.writes().length >= before);
  for (const [, obj] of client.objects) if ((obj.metadata?.name ?? '').startsWith('web-')) podInformer.add(obj as Pod);
  assert.equal(controller.expectations.satisfiedExpectations('default/web'), true);
});

test('slow start: when every create fails, only the first batch of one is tried', async () => {
  const web = rs('web', 10);
  const { client, controller, recorder } = setup([web], []);
  client.prependReactor((a) => (a.verb === 'create' && a.resource === 'pods' ? newForbidden({ group: '', resource: 'pods' }, '', 'exceeded quota: q') : undefined));
  await assert.rejects(controller.sync('default/web'));
  assert.equal(client.actions.filter((a) => a.verb === 'create').length, 1);
  assert.match(recorder.events[0]!, /^Warning FailedCreate Error creating: pods .*is forbidden: exceeded quota: q/);
  const status = storedRS(client, 'web').status!;
  assert.equal(status.conditions?.[0]?.type, 'ReplicaFailure');
  assert.equal(status.conditions?.[0]?.reason, 'FailedCreate');
  // The skipped creations will never be observed: the controller may act again at once.
  assert.equal(controller.expectations.satisfiedExpectations('default/web'), true);
});

test('slow start: batches grow 1, 2, 4, … until one fails', async () => {
  const web = rs('web', 20);
  const { client, controller } = setup([web], []);
  let creates = 0;
  client.prependReactor((a) => (a.verb === 'create' && a.resource === 'pods' && ++creates > 5 ? new Error('boom') : undefined));
  await assert.rejects(controller.sync('default/web'), /boom/);
  // Batches 1 + 2 succeed (3 pods), the batch of 4 has two successes and two failures: 7 tries, no batch of 8.
  assert.equal(client.actions.filter((a) => a.verb === 'create').length, 7);
  assert.equal(controller.expectations.getExpectations('default/web')?.add, 5, 'the five created pods are still expected');
});

test('scale down deletes the pods upstream ranks first', async () => {
  const web = rs('web', 2);
  const pods = [
    pod('running-ready-old', { owner: web, node: 'n1', ready: true, readySince: start - 86_400_000 }),
    pod('unassigned', { owner: web, phase: 'Pending' }),
    pod('pending', { owner: web, node: 'n1', phase: 'Pending' }),
    pod('running-not-ready', { owner: web, node: 'n2' }),
    pod('running-ready-new', { owner: web, node: 'n2', ready: true, readySince: start - 1_000 }),
  ];
  const { client, controller, recorder } = setup([web], pods);
  await controller.sync('default/web');
  const deleted = client.writes().filter((a) => a.verb === 'delete').map((a) => a.name).sort();
  assert.deepEqual(deleted, ['pending', 'running-not-ready', 'unassigned']);
  assert.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulDelete Deleted pod: ')).length, 3);
});

test('scale down among ready pods: newer readiness, more restarts, then newer creation go first', async () => {
  const cases: Array<{ name: string; pods: PodOpts[]; want: number }> = [
    { name: 'ready for less time goes first', pods: [{ readySince: start - 86_400_000 }, { readySince: start - 10_000 }], want: 1 },
    { name: 'more restarts go first', pods: [{ restarts: 0 }, { restarts: 5 }], want: 1 },
    { name: 'newer pods go first', pods: [{ created: start - 86_400_000 }, { created: start - 60_000 }], want: 1 },
    { name: 'doubled-up node goes first', pods: [{ node: 'a' }, { node: 'b' }, { node: 'b' }], want: 1 },
    { name: 'lower pod-deletion-cost goes first', pods: [{ cost: '10' }, { cost: '-5' }, {}], want: 1 },
  ];
  for (const c of cases) {
    const web = rs('web', c.pods.length - 1);
    const pods = c.pods.map((o, i) => pod(`p${i}`, { owner: web, node: 'n', ready: true, readySince: start - 3_600_000, ...o }));
    const { client, controller } = setup([web], pods);
    await controller.sync('default/web');
    const deleted = client.writes().filter((a) => a.verb === 'delete').map((a) => a.name);
    assert.equal(deleted.length, 1, c.name);
    assert.equal(deleted[0], `p${c.want}`, c.name);
  }
});

test('adopts matching orphans, releases owned pods that no longer match, ignores pods of other owners', async () => {
  const web = rs('web', 2);
  const other = rs('other', 1);
  const pods = [
    pod('orphan', { labels: { app: 'web' }, ready: true }),
    pod('mine', { owner: web, ready: true }),
    pod('relabelled', { owner: web, labels: { app: 'changed' } }),
    pod('theirs', { owner: other, labels: { app: 'web' } }),
    pod('orphan-deleting', { labels: { app: 'web' }, deleting: true }),
  ];
  const { client, controller } = setup([web, other], pods);
  await controller.sync('default/web');
  const patches = client.writes().filter((a) => a.verb === 'patch');
  assert.deepEqual(patches.map((p) => p.name).sort(), ['orphan', 'relabelled']);
  const adopted = client.objects.get(client.key(resources.pods, 'default', 'orphan'))!;
  assert.equal(adopted.metadata?.ownerReferences?.[0]?.uid, 'uid-web');
  const released = client.objects.get(client.key(resources.pods, 'default', 'relabelled'))!;
  assert.deepEqual(released.metadata?.ownerReferences, []);
  assert.equal(client.writes().filter((a) => a.verb === 'create' || a.verb === 'delete').length, 0, 'orphan + mine = 2 replicas');
  assert.equal(storedRS(client, 'web').status?.replicas, 2);
});

test('status counts fully labelled, ready and available pods and honours minReadySeconds', async () => {
  const web = rs('web', 3, { minReadySeconds: 30, generation: 4 });
  const pods = [
    pod('a', { owner: web, ready: true, readySince: start - 60_000 }),
    pod('b', { owner: web, ready: true, readySince: start - 5_000 }),
    pod('c', { owner: web, labels: { app: 'web', extra: 'x' } }),
  ];
  const { client, controller } = setup([web], pods);
  const result = await controller.sync('default/web');
  assert.deepEqual(storedRS(client, 'web').status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  assert.equal(result, undefined, 'not all ready yet: the pod handler requeues when readiness changes');

  const allReady = [pods[0]!, pods[1]!, pod('c', { owner: web, ready: true, readySince: start - 5_000 })];
  const second = setup([web], allReady);
  const r2 = await second.controller.sync('default/web');
  assert.deepEqual(r2, { requeueAfterMs: 30_000 }, 'all ready, not all available: look again after minReadySeconds');
});

test('no status write when nothing changed', async () => {
  const web = rs('web', 1);
  web.status = { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
  const { client, controller } = setup([web], [pod('a', { owner: web, ready: true })]);
  await controller.sync('default/web');
  assert.deepEqual(client.writes(), []);
});

test('a failed delete other than NotFound sets ReplicaFailure FailedDelete and the sync fails', async () => {
  const web = rs('web', 0);
  const { client, controller } = setup([web], [pod('a', { owner: web }), pod('gone', { owner: web })]);
  client.objects.delete(client.key(resources.pods, 'default', 'gone'));
  client.prependReactor((a) => (a.verb === 'delete' && a.name === 'a' ? new Error('etcd unavailable') : undefined));
  await assert.rejects(controller.sync('default/web'), /etcd unavailable/);
  const cond = storedRS(client, 'web').status?.conditions?.[0];
  assert.equal(cond?.reason, 'FailedDelete');
  assert.equal(controller.expectations.satisfiedExpectations('default/web'), true, 'failed and NotFound deletions are counted as observed');
});

test('pod events resolve owners and feed expectations', () => {
  const web = rs('web', 1);
  const { controller, podInformer, queue } = setup([web], []);
  controller.expectations.expectCreations('default/web', 1);
  queue.added.length = 0;
  podInformer.add(pod('a', { owner: web }));
  assert.equal(controller.expectations.satisfiedExpectations('default/web'), true);
  assert.deepEqual(queue.added, ['default/web']);
  // An orphan enqueues every ReplicaSet that selects it.
  queue.added.length = 0;
  podInformer.add(pod('orphan', { labels: { app: 'web' } }));
  assert.deepEqual(queue.added, ['default/web']);
  // Deleting an owned pod counts the expected deletion once.
  controller.expectations.expectDeletionsOf('default/web', ['default/a']);
  podInformer.delete(pod('a', { owner: web }));
  podInformer.delete(pod('a', { owner: web }));
  assert.deepEqual(controller.expectations.getExpectations('default/web'), { add: 0, del: 0 });
});

test('a deleted ReplicaSet drops its expectations', async () => {
  const web = rs('web', 1);
  const { controller, rsInformer, client } = setup([web], []);
  controller.expectations.expectCreations('default/web', 5);
  rsInformer.delete(web);
  assert.equal(controller.expectations.getExpectations('default/web'), undefined);
  await controller.sync('default/web');
  assert.deepEqual(client.writes(), []);
});

test('the same controller serves ReplicationControllers (map selector, core/v1 owner reference)', async () => {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  const rc: Replicated = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: 'default', uid: 'uid-legacy', resourceVersion: '1', generation: 1 },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
  client.seed(replicationControllerKind.gvr, rc);
  const recorder = new RecordingRecorder();
  const controller = new ReplicaSetController({
    kind: replicationControllerKind,
    client,
    replicaSets: new FakeInformer<Replicated>([rc]),
    pods: new FakeInformer<Pod>([pod('stray', { labels: { app: 'legacy' } })]),
    podControl: new RealPodControl(client, recorder),
    queue: new RecordingQueue(),
    clock,
    logger: newLogger({ write: () => {} }),
  });
  client.seed(resources.pods, pod('stray', { labels: { app: 'legacy' } }));
  await controller.sync('default/legacy');
  const adopted = client.objects.get(client.key(resources.pods, 'default', 'stray'))!;
  assert.deepEqual(adopted.metadata?.ownerReferences?.map((r) => [r.apiVersion, r.kind, r.name]), [['v1', 'ReplicationController', 'legacy']]);
  const creates = client.writes().filter((a) => a.verb === 'create');
  assert.equal(creates.length, 1);
  assert.equal((creates[0]!.body as Pod).metadata?.ownerReferences?.[0]?.kind, 'ReplicationController');
  const status = client.objects.get(client.key(replicationControllerKind.gvr, 'default', 'legacy'))!.status as Replicated['status'];
  assert.equal(status?.replicas, 1, 'the adopted pod; the new one shows up on the next sync');
});

test('creates refused because the namespace is terminating are not failures', async () => {
  const web = rs('web', 2);
  const { client, controller } = setup([web], []);
  const terminating = new StatusError({
    reason: 'Forbidden',
    code: 403,
    message: 'pods "" is forbidden: unable to create new content in namespace default because it is being terminated',
    details: { kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace default is being terminated', field: 'metadata.namespace' }] },
  });
  client.prependReactor((a) => (a.verb === 'create' && a.resource === 'pods' ? terminating : undefined));
  await controller.sync('default/web');
  assert.equal(storedRS(client, 'web').status?.conditions, undefined, 'no ReplicaFailure');
});
