// The persistentvolume-binder and ephemeral-volume controllers against an in-process apiserver: a claim binds to
// the smallest matching volume and both go Bound with upstream's annotations; deleting the claim releases the
// volume (Retain keeps it Released, Delete removes a /tmp hostPath volume, fails others with upstream's words);
// a WaitForFirstConsumer claim waits until the scheduler's selected-node annotation names a node the local
// volume's node affinity admits; a pod's generic ephemeral volume gets its claim, owned by the pod.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interface, KubeObject } from '../../src/client/rest/interface.js';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pvcs = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const pvs = { group: '', version: 'v1', resource: 'persistentvolumes' };
const pods = { group: '', version: 'v1', resource: 'pods' };
const nodes = { group: '', version: 'v1', resource: 'nodes' };
const classes = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: { phase?: string; capacity?: Record<string, string> } };

function volume(name: string, size: string, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, persistentVolumeReclaimPolicy: 'Retain', ...extra },
  };
}

function claim(name: string, size: string, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: '', ...extra } };
}

const phaseOf = async (client: Interface, gvr: typeof pvs, name: string, ns?: string): Promise<string | undefined> =>
  ((await client.resource<Obj>(gvr, ns).get(name)) as Obj).status?.phase;

const gone = async (client: Interface, gvr: typeof pvs, name: string): Promise<boolean> => {
  try {
    await client.resource(gvr).get(name);
    return false;
  } catch {
    return true;
  }
};

test('a claim binds to the smallest fitting volume; released by deletion: Retain keeps it, Delete removes /tmp hostPaths and fails others', async (t) => {
  // The protection controllers let deleted claims and volumes go (admission gives each its finalizer).
  const { client, recorder } = await startControllers(t, { controllers: ['persistentvolume-binder-controller', 'persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller'] });
  const volumes = client.resource<Obj>(pvs);
  await volumes.create(volume('big', '10Gi'));
  await volumes.create(volume('small', '2Gi'));
  await volumes.create(volume('tiny', '500Mi'));
  await volumes.create(volume('rox', '1Gi', { accessModes: ['ReadOnlyMany'] }));
  const claims = client.resource<Obj>(pvcs, 'default');
  await claims.create(claim('data', '1Gi'));
  await eventually(async () => (await phaseOf(client, pvcs, 'data', 'default')) === 'Bound');
  const bound = await claims.get('data');
  assert.equal(bound.spec?.volumeName, 'small', 'smallest volume with the access mode and enough capacity');
  assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(bound.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual(bound.status?.capacity, { storage: '2Gi' });
  await eventually(async () => (await phaseOf(client, pvs, 'small')) === 'Bound');
  const pv = await volumes.get('small');
  assert.equal((pv.spec?.claimRef as { name?: string; uid?: string }).name, 'data');
  assert.equal((pv.spec?.claimRef as { uid?: string }).uid, bound.metadata?.uid);
  assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.equal(await phaseOf(client, pvs, 'big'), 'Available');

  // No volume fits and no class: Pending with upstream's event.
  await claims.create(claim('huge', '100Gi'));
  await eventually(() => recorder.events.includes('Normal FailedBinding no persistent volumes available for this claim and no storage class is set'));
  assert.equal(await phaseOf(client, pvcs, 'huge', 'default'), 'Pending');

  // Retain: the volume stays, Released.
  await claims.delete('data');
  await eventually(async () => (await phaseOf(client, pvs, 'small')) === 'Released');

  // Delete: a /tmp hostPath volume is deleted; one elsewhere fails with the hostPath deleter's message.
  await volumes.create(volume('scratch', '3Gi', { persistentVolumeReclaimPolicy: 'Delete' }));
  await volumes.create(volume('etc', '3Gi', { persistentVolumeReclaimPolicy: 'Delete', hostPath: { path: '/srv/etc' } }));
  await claims.create(claim('c1', '3Gi', { volumeName: 'scratch' }));
  await claims.create(claim('c2', '3Gi', { volumeName: 'etc' }));
  await eventually(async () => (await phaseOf(client, pvcs, 'c1', 'default')) === 'Bound' && (await phaseOf(client, pvcs, 'c2', 'default')) === 'Bound');
  assert.equal((await claims.get('c1')).metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], undefined, 'pre-bound by the user');
  await claims.delete('c1');
  await claims.delete('c2');
  await eventually(() => gone(client, pvs, 'scratch'));
  await eventually(async () => (await phaseOf(client, pvs, 'etc')) === 'Failed');
  assert.ok(recorder.events.includes('Warning VolumeFailedDelete host_path deleter only supports /tmp/.+ but received provided /srv/etc'));
});

test('WaitForFirstConsumer: the claim waits for the selected node and binds to a local volume on it; ephemeral volumes get owned claims', async (t) => {
  const { client, recorder } = await startControllers(t, { controllers: ['persistentvolume-binder-controller', 'ephemeral-volume-controller'] });
  await client.resource(classes).create({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' });
  for (const n of ['n1', 'n2']) await client.resource(nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
  const onNode = (n: string) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [n] }] }] } });
  const volumes = client.resource<Obj>(pvs);
  await volumes.create(volume('local-n1', '1Gi', { storageClassName: 'local', hostPath: undefined, local: { path: '/mnt/disk1' }, nodeAffinity: onNode('n1') }));
  await volumes.create(volume('local-n2', '5Gi', { storageClassName: 'local', hostPath: undefined, local: { path: '/mnt/disk2' }, nodeAffinity: onNode('n2') }));
  const claims = client.resource<Obj>(pvcs, 'default');
  await claims.create(claim('local-claim', '1Gi', { storageClassName: 'local' }));
  await eventually(() => recorder.events.includes('Normal WaitForFirstConsumer waiting for first consumer to be created before binding'));
  assert.equal(await phaseOf(client, pvcs, 'local-claim', 'default'), 'Pending');
  // The scheduler picked n2: the claim binds to the volume on n2 although the one on n1 is smaller.
  await claims.patch('local-claim', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } } });
  await eventually(async () => (await phaseOf(client, pvcs, 'local-claim', 'default')) === 'Bound');
  assert.equal((await claims.get('local-claim')).spec?.volumeName, 'local-n2');

  // A generic ephemeral volume: the claim <pod>-<volume>, owned by the pod.
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  const pod = await client.resource(pods, 'default').create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app' },
    spec: {
      automountServiceAccountToken: false,
      containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { app: 'x' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local' } } } }],
    },
  });
  await eventually(async () => (await claims.list()).items.some((c) => c.metadata?.name === 'app-scratch'));
  const eph = await claims.get('app-scratch');
  assert.deepEqual(eph.metadata?.labels, { app: 'x' });
  assert.deepEqual(eph.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'app', uid: pod.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
});
