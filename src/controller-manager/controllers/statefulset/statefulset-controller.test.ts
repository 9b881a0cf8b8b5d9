// The StatefulSet controller's sync against fakes: claim retention (whenDeleted owner, whenScaled pod owner
// before the scale-down), failed pods recreated, OnDelete leaving old pods alone, maxUnavailable deleting
// several old pods at once, and status counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as appsv1 from '../../../api/generated/apps/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import { controllerRevisionsResource, revisionData, hashControllerRevision, type ControllerRevision } from '../../controller-history.js';
import { resources } from '../../controller-context.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { RecordingRecorder } from '../../testing/recording-recorder.js';
import { newStatefulSetPod, type PersistentVolumeClaim, type Pod, type StatefulSet } from './stateful-pods.js';
import { persistentVolumeClaimsResource, StatefulSetController, statefulSetsResource } from './statefulset-controller.js';

const start = Date.UTC(2026, 0, 1, 12);

function set(spec: Partial<appsv1.StatefulSetSpec> = {}, image = 'nginx:1'): StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid', resourceVersion: '1', generation: 1 },
    spec: {
      replicas: 2,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

/** The revision name the controller computes for a set's template. */
function revisionName(s: StatefulSet): string {
  return `web-${hashControllerRevision(revisionData(s.spec?.template), 0)}`;
}

/** A running, ready pod of `s` at ordinal `n` (at the revision of `at`, default `s`). */
function runningPod(s: StatefulSet, n: number, at: StatefulSet = s, phase = 'Running'): Pod {
  const pod = newStatefulSetPod(at, n, revisionName(at));
  pod.metadata = { ...pod.metadata, uid: `uid-web-${n}`, resourceVersion: '1', namespace: 'default' };
  pod.status = { phase, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T11:00:00Z' }] };
  return pod;
}

function claim(name: string): PersistentVolumeClaim {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '1' }, spec: {} };
}

function setup(s: StatefulSet, pods: Pod[] = [], claims: PersistentVolumeClaim[] = []) {
  const clock = new FakeClock(start);
  const client = new FakeClient(() => clock.now());
  client.seed(statefulSetsResource, s);
  for (const p of pods) client.seed(resources.pods, p);
  for (const c of claims) client.seed(persistentVolumeClaimsResource, c);
  const recorder = new RecordingRecorder();
  const controller = new StatefulSetController({
    client,
    sets: new FakeInformer([s]),
    pods: new FakeInformer(pods),
    claims: new FakeInformer(claims),
    revisions: new FakeInformer<ControllerRevision>([]),
    recorder,
    queue: new RecordingQueue(),
    clock,
    logger: newLogger({ write: () => {} }),
  });
  return { client, controller, recorder };
}

const volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }];

test('whenDeleted Delete: new claims are owned by the set', async () => {
  const s = set({ replicas: 1, volumeClaimTemplates, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
  const { client, controller } = setup(s);
  await controller.sync('default/web');
  const created = await client.resource<PersistentVolumeClaim>(persistentVolumeClaimsResource, 'default').get('data-web-0');
  assert.deepEqual(created.metadata?.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['StatefulSet', 'web', 'set-uid']]);
  assert.deepEqual(created.metadata?.labels, { app: 'web' });
  assert.equal(client.writes().filter((a) => a.verb === 'create' && a.resource === 'pods').length, 1);
});

test('whenScaled Delete: the condemned pod becomes owner of its claims before it is deleted', async () => {
  const s = set({ replicas: 1, volumeClaimTemplates, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
  const pods = [runningPod(s, 0), runningPod(s, 1)];
  const { client, controller, recorder } = setup(s, pods, [claim('data-web-0'), claim('data-web-1')]);
  await controller.sync('default/web');
  const writes = client.writes().filter((a) => a.resource !== 'controllerrevisions' && a.subresource !== 'status');
  assert.deepEqual(writes.map((a) => `${a.verb} ${a.resource} ${a.name}`), ['patch persistentvolumeclaims data-web-1', 'delete pods web-1']);
  const patched = await client.resource<PersistentVolumeClaim>(persistentVolumeClaimsResource, 'default').get('data-web-1');
  assert.deepEqual(patched.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'uid-web-1' }]);
  assert.ok(recorder.events.includes('Normal SuccessfulDelete delete Pod web-1 in StatefulSet web successful'));
});

test('a retention policy changed later is applied to the claims of running pods', async () => {
  const cases: Array<{ name: string; policy: appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy; owners: string[]; want: string[] | undefined }> = [
    { name: 'Retain → Delete adds the set', policy: { whenDeleted: 'Delete', whenScaled: 'Retain' }, owners: [], want: ['set-uid'] },
    { name: 'Delete → Retain removes the set, keeps others', policy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, owners: ['set-uid', 'other'], want: ['other'] },
    { name: 'whenScaled alone does not touch a live pod', policy: { whenDeleted: 'Retain', whenScaled: 'Delete' }, owners: [], want: undefined },
  ];
  for (const c of cases) {
    const s = set({ replicas: 1, volumeClaimTemplates, persistentVolumeClaimRetentionPolicy: c.policy });
    const existing = claim('data-web-0');
    existing.metadata!.ownerReferences = c.owners.map((uid) => ({ apiVersion: 'v1', kind: uid === 'set-uid' ? 'StatefulSet' : 'Thing', name: uid, uid }));
    const { client, controller } = setup(s, [runningPod(s, 0)], [existing]);
    await controller.sync('default/web');
    const got = await client.resource<PersistentVolumeClaim>(persistentVolumeClaimsResource, 'default').get('data-web-0');
    const uids = got.metadata?.ownerReferences?.map((r) => r.uid);
    assert.deepEqual(c.want === undefined ? client.writes().filter((a) => a.resource === 'persistentvolumeclaims').length : uids, c.want === undefined ? 0 : c.want, c.name);
  }
});

test('a failed pod is deleted (and recreated on a later sync) with RecreatingFailedPod', async () => {
  const s = set();
  const { client, controller, recorder } = setup(s, [runningPod(s, 0), runningPod(s, 1, s, 'Failed')]);
  await controller.sync('default/web');
  assert.ok(recorder.events.includes('Warning RecreatingFailedPod StatefulSet default/web is recreating failed Pod web-1'));
  assert.deepEqual(client.writes().filter((a) => a.resource === 'pods').map((a) => `${a.verb} ${a.name}`), ['delete web-1']);
});

test('OnDelete leaves old pods alone; RollingUpdate with maxUnavailable 2 deletes two at once', async () => {
  const old = set({ replicas: 3 });
  const cases: Array<{ name: string; strategy: appsv1.StatefulSetUpdateStrategy; deleted: string[] }> = [
    { name: 'OnDelete', strategy: { type: 'OnDelete' }, deleted: [] },
    { name: 'RollingUpdate default', strategy: { type: 'RollingUpdate' }, deleted: ['web-2'] },
    { name: 'RollingUpdate maxUnavailable 2', strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } }, deleted: ['web-2', 'web-1'] },
    { name: 'RollingUpdate partition 2', strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2, maxUnavailable: 3 } }, deleted: ['web-2'] },
  ];
  for (const c of cases) {
    const updated = set({ replicas: 3, updateStrategy: c.strategy }, 'nginx:2');
    const pods = [0, 1, 2].map((n) => runningPod(updated, n, old));
    const { client, controller } = setup(updated, pods);
    await controller.sync('default/web');
    assert.deepEqual(client.writes().filter((a) => a.resource === 'pods' && a.verb === 'delete').map((a) => a.name), c.deleted, c.name);
    const status = (await client.resource<StatefulSet>(statefulSetsResource, 'default').get('web')).status!;
    assert.equal(status.updateRevision, revisionName(updated), c.name);
    assert.equal(status.replicas, 3, c.name);
  }
});

test('status counts ready, available, current and updated pods and completes the rollout', async () => {
  const s = set({ replicas: 2 });
  const { client, controller } = setup(s, [runningPod(s, 0), runningPod(s, 1)]);
  await controller.sync('default/web');
  const status = (await client.resource<StatefulSet>(statefulSetsResource, 'default').get('web')).status!;
  assert.deepEqual(status, {
    observedGeneration: 1,
    replicas: 2,
    readyReplicas: 2,
    availableReplicas: 2,
    currentReplicas: 2,
    updatedReplicas: 2,
    currentRevision: revisionName(s),
    updateRevision: revisionName(s),
    collisionCount: 0,
  });
  const revisions = (await client.resource<ControllerRevision>(controllerRevisionsResource, 'default').list()).items;
  assert.deepEqual(revisions.map((r) => r.metadata?.name), [revisionName(s)]);
});
