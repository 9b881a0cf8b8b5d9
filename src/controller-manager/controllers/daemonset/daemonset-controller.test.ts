// The DaemonSet controller's sync against fakes: pods created per eligible node with the daemon pod shape,
// misscheduled and failed pods removed, duplicates trimmed, maxSurge starting new pods beside old ones,
// status counts, and expectations holding back a second sync on a stale cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { hashControllerRevision, revisionData, type ControllerRevision } from '../../controller-history.js';
import { resources } from '../../controller-context.js';
import { RealPodControl } from '../../pod-control.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { DaemonSetsController, daemonPodTemplate, daemonSetsResource, type DaemonSet } from './daemonset-controller.js';

type Pod = Typed<corev1.Pod>;
type Node = Typed<corev1.Node>;
const start = Date.UTC(2026, 0, 1, 12);

function ds(spec: Partial<appsv1.DaemonSetSpec> = {}, image = 'agent:1'): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid', resourceVersion: '1', generation: 2 },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }] } }, ...spec },
  };
}

const hashOf = (d: DaemonSet) => hashControllerRevision(revisionData(d.spec?.template), 0);

function node(name: string, taints: corev1.Taint[] = []): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}`, resourceVersion: '1' }, spec: { taints } };
}

function daemonPod(d: DaemonSet, name: string, nodeName: string, opts: { phase?: string; ready?: boolean; created?: string } = {}): Pod {
  const template = daemonPodTemplate(d, hashOf(d), nodeName);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'kube-system',
      uid: `uid-${name}`,
      resourceVersion: '1',
      creationTimestamp: opts.created ?? '2026-01-01T10:00:00Z',
      labels: template.metadata?.labels,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'ds-uid', controller: true }],
    },
    spec: { ...template.spec!, nodeName },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: '2026-01-01T10:00:00Z' }] },
  };
}

function setup(d: DaemonSet, nodes: Node[], pods: Pod[] = []) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  client.seed(daemonSetsResource, d);
  for (const p of pods) client.seed(resources.pods, p);
  const recorder = new RecordingRecorder();
  const daemonSets = new FakeInformer([d]);
  const controller = new DaemonSetsController({
    client,
    daemonSets,
    pods: new FakeInformer(pods),
    nodes: new FakeInformer(nodes),
    revisions: new FakeInformer<ControllerRevision>([]),
    podControl: new RealPodControl(client, recorder),
    recorder,
    queue: new RecordingQueue(),
    clock,
    logger: newLogger({ write: () => {} }),
  });
  const status = async () => (await client.resource<DaemonSet>(daemonSetsResource, 'kube-system').get('agent')).status;
  const podWrites = () => client.writes().filter((a) => a.resource === 'pods').map((a) => `${a.verb} ${a.verb === 'create' ? (a.body as Pod).spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0] : a.name}`);
  return { client, controller, recorder, status, podWrites, daemonSets };
}

test('creates one pinned pod per eligible node and counts desired/current', async () => {
  const d = ds();
  const { controller, status, podWrites, client, daemonSets } = setup(d, [node('a'), node('b'), node('c', [{ key: 'gpu', effect: 'NoSchedule' }])]);
  await controller.sync('kube-system/agent');
  assert.deepEqual(podWrites().sort(), ['create a', 'create b']);
  const body = client.writes().find((a) => a.verb === 'create' && a.resource === 'pods')!.body as Pod;
  assert.equal(body.metadata?.labels?.['controller-revision-hash'], hashOf(d));
  assert.equal(body.metadata?.labels?.['pod-template-generation'], '2');
  assert.equal(body.metadata?.generateName, 'agent-');
  assert.deepEqual(await status(), { currentNumberScheduled: 0, desiredNumberScheduled: 2, numberMisscheduled: 0, numberReady: 0, numberUnavailable: 2, observedGeneration: 2, collisionCount: 0 });
  // The pod informer has not seen the new pods yet: expectations hold the next sync back.
  daemonSets.update(await client.resource<DaemonSet>(daemonSetsResource, 'kube-system').get('agent'));
  await controller.sync('kube-system/agent');
  assert.equal(podWrites().length, 2);
});

test('misscheduled, failed and duplicate pods are deleted', async () => {
  const d = ds();
  const pods = [
    daemonPod(d, 'on-tainted', 'c'),
    daemonPod(d, 'failed', 'a', { phase: 'Failed' }),
    daemonPod(d, 'old', 'b', { created: '2026-01-01T09:00:00Z' }),
    daemonPod(d, 'dup', 'b', { created: '2026-01-01T11:00:00Z' }),
  ];
  const { controller, podWrites, recorder } = setup(d, [node('a'), node('b'), node('c', [{ key: 'gpu', effect: 'NoExecute' }])], pods);
  await controller.sync('kube-system/agent');
  // The failed pod's replacement comes with a later sync, once node a has no pod.
  assert.deepEqual(podWrites().sort(), ['delete dup', 'delete failed', 'delete on-tainted']);
  assert.ok(recorder.events.includes('Warning FailedDaemonPod Found failed daemon pod kube-system/failed on node a, will try to kill it'));
});

test('a pod that keeps failing on a node is deleted at most once per backoff period', async () => {
  const d = ds();
  const { controller, podWrites, client, daemonSets } = setup(d, [node('a')], [daemonPod(d, 'failed', 'a', { phase: 'Failed' })]);
  await controller.sync('kube-system/agent');
  assert.deepEqual(podWrites(), ['delete failed']);
  // The node shows a failed daemon pod again within the 1 s backoff (here: the cache still has it, its
  // deletion expectation given up).
  controller.expectations.deleteExpectations('kube-system/agent');
  daemonSets.update(await client.resource<DaemonSet>(daemonSetsResource, 'kube-system').get('agent'));
  const result = await controller.sync('kube-system/agent');
  assert.deepEqual(podWrites(), ['delete failed'], 'no second deletion inside the backoff');
  assert.deepEqual(result, { requeueAfterMs: 1000 });
});

test('rolling update: maxUnavailable deletes old pods; maxSurge starts new ones beside them', async () => {
  const old = ds();
  const cases: Array<{ name: string; rollingUpdate: appsv1.RollingUpdateDaemonSet; want: string[] }> = [
    { name: 'maxUnavailable 1', rollingUpdate: { maxUnavailable: 1 }, want: ['delete p-a'] },
    { name: 'maxUnavailable 2', rollingUpdate: { maxUnavailable: 2 }, want: ['delete p-a', 'delete p-b'] },
    { name: 'maxSurge 1', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, want: ['create a'] },
  ];
  for (const c of cases) {
    const updated = { ...ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: c.rollingUpdate } }, 'agent:2') };
    const pods = ['a', 'b', 'c'].map((n) => daemonPod(old, `p-${n}`, n));
    const { controller, podWrites, status } = setup(updated, [node('a'), node('b'), node('c')], pods);
    await controller.sync('kube-system/agent');
    assert.deepEqual(podWrites(), c.want, c.name);
    const s = await status();
    assert.equal(s?.numberAvailable, 3, c.name);
    assert.equal(s?.updatedNumberScheduled, undefined, `${c.name}: none updated yet`);
  }
});
