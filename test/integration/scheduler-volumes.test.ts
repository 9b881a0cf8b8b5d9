// VolumeBinding and VolumeZone against a real in-process apiserver and scheduler: a WaitForFirstConsumer
// claim is bound to the local PV of the node the pod lands on (the scheduler writes the PV's claimRef in
// PreBind, the persistentvolume-binder controller completes the claim), and a pod with a zonal PV goes to
// that zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../../src/api/generated/core/v1.js';
import type { KubeObject } from '../../src/client/rest/interface.js';
import { newClient } from '../../src/client/rest/rest-client.js';
import { eventually, node, pod, startCluster, startScheduler, type TestCluster } from '../e2e/scheduler-cluster.js';
import { startControllers } from '../harness/in-process-controller-manager.js';

const pvsGVR = { group: '', version: 'v1', resource: 'persistentvolumes' };
const pvcsGVR = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const classesGVR = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };
const hostKey = 'kubernetes.io/hostname';
const zoneKey = 'topology.kubernetes.io/zone';

function localPV(name: string, nodeName: string, size: string): PersistentVolume & KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-storage',
      persistentVolumeReclaimPolicy: 'Retain',
      local: { path: `/mnt/disks/${name}` },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: hostKey, operator: 'In', values: [nodeName] }] }] } },
    },
  } as PersistentVolume & KubeObject;
}

function claim(name: string, storageClassName: string, size = '1Gi'): PersistentVolumeClaim & KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: size } } },
  } as PersistentVolumeClaim & KubeObject;
}

function withClaim(name: string, claimName: string): Pod & KubeObject {
  const p = pod({ name });
  p.spec!.volumes = [{ name: 'data', persistentVolumeClaim: { claimName } }];
  return p;
}

async function boundNode(c: TestCluster, name: string): Promise<string> {
  return eventually(async () => ((await c.pods().get(name)) as Pod).spec?.nodeName || undefined, `pod ${name} to be bound`);
}

test('WaitForFirstConsumer: the pod goes where a local PV fits and the claim is bound to it', async (t) => {
  const c = await startCluster(t);
  for (const name of ['n1', 'n2', 'n3']) await c.nodes().create(node({ name }));
  await c.client.resource(classesGVR).create({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'local-storage' },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  await c.client.resource(pvsGVR).create(localPV('small-on-n1', 'n1', '1Gi'));
  await c.client.resource(pvsGVR).create(localPV('big-on-n2', 'n2', '10Gi'));
  await c.client.resource(pvcsGVR, 'default').create(claim('data', 'local-storage', '5Gi'));
  // The PV controller completes the claim's half of the binding the scheduler starts.
  const managerClient = newClient({ host: c.url, qps: -1 });
  t.after(() => managerClient.close());
  await startControllers(t, { controllers: ['persistentvolume-binder-controller'], cluster: { server: c.server, client: c.client, newClient: () => managerClient } });
  startScheduler(t, c);
  await c.pods().create(withClaim('db', 'data'));
  assert.equal(await boundNode(c, 'db'), 'n2');
  const pvc = (await c.client.resource(pvcsGVR, 'default').get('data')) as PersistentVolumeClaim;
  assert.equal(pvc.spec?.volumeName, 'big-on-n2');
  assert.equal(pvc.metadata?.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  const pv = (await c.client.resource(pvsGVR).get('big-on-n2')) as PersistentVolume;
  assert.deepEqual([pv.spec?.claimRef?.namespace, pv.spec?.claimRef?.name, pv.spec?.claimRef?.uid], ['default', 'data', pvc.metadata?.uid]);
  assert.equal(pv.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  await eventually(async () => ((await c.client.resource(pvsGVR).get('big-on-n2')) as PersistentVolume).status?.phase === 'Bound' || undefined, 'the PV to be Bound');

  // A second claim fits no remaining PV: its pod waits with upstream's reason.
  await c.client.resource(pvcsGVR, 'default').create(claim('more', 'local-storage', '5Gi'));
  await c.pods().create(withClaim('db-2', 'more'));
  const cond = await eventually(async () => ((await c.pods().get('db-2')) as Pod).status?.conditions?.find((x) => x.type === 'PodScheduled'), 'db-2 condition');
  assert.equal(
    cond.message,
    "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  );
});

test('VolumeZone: a pod with a zonal PV lands in that zone', async (t) => {
  const c = await startCluster(t);
  for (const [name, zone] of [['a1', 'a'], ['b1', 'b']]) await c.nodes().create(node({ name, labels: { [zoneKey]: zone } }));
  const pv: PersistentVolume & KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'zonal', labels: { [zoneKey]: 'b' } },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', hostPath: { path: '/data/zonal' } },
  } as PersistentVolume & KubeObject;
  await c.client.resource(pvsGVR).create(pv);
  const pvc = claim('zonal-claim', '');
  pvc.spec!.volumeName = 'zonal';
  await c.client.resource(pvcsGVR, 'default').create(pvc);
  startScheduler(t, c);
  for (let i = 0; i < 2; i++) {
    await c.pods().create(withClaim(`reader-${i}`, 'zonal-claim'));
    assert.equal(await boundNode(c, `reader-${i}`), 'b1');
  }
});
