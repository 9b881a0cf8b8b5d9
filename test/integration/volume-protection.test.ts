// PVC and PV protection end to end: the StorageObjectInUseProtection admission plugin puts the finalizers on,
// and the protection controllers take them off only when nothing uses the object — a claim deleted while a pod
// uses it stays Terminating until the pod is gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startControllers } from '../harness/in-process-controller-manager.js';

const pvcs = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const pvs = { group: '', version: 'v1', resource: 'persistentvolumes' };
const pods = { group: '', version: 'v1', resource: 'pods' };

test('a claim in use stays until its pod is gone; a volume goes once it is not Bound', async (t) => {
  const { client } = await startControllers(t, { controllers: ['persistentvolumeclaim-protection-controller', 'persistentvolume-protection-controller'] });
  // The ServiceAccount admission plugin wants the namespace's `default` account (the serviceaccount controller's job).
  await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'default').create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  const claims = client.resource(pvcs, 'default');
  const created = await claims.create({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  assert.deepEqual(created.metadata?.finalizers, ['kubernetes.io/pvc-protection'], 'admission adds the finalizer');
  const podClient = client.resource(pods, 'default');
  await podClient.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'user' },
    spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] },
  });
  await claims.delete('data');
  // In use: Terminating, finalizer kept (give the controller time to have looked at it).
  await new Promise((r) => setTimeout(r, 300));
  const terminating = await claims.get('data');
  assert.ok(terminating.metadata?.deletionTimestamp);
  assert.deepEqual(terminating.metadata?.finalizers, ['kubernetes.io/pvc-protection']);
  await podClient.delete('user', { gracePeriodSeconds: 0 });
  await eventually(async () => {
    try {
      await claims.get('data');
      return false;
    } catch {
      return true;
    }
  });

  const volumes = client.resource(pvs);
  const pv = await volumes.create({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/pv1' } } });
  assert.deepEqual(pv.metadata?.finalizers, ['kubernetes.io/pv-protection']);
  await volumes.delete('pv1');
  await eventually(async () => {
    try {
      await volumes.get('pv1');
      return false;
    } catch {
      return true;
    }
  });
});
