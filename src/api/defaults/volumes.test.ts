import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONObject } from './fields.js';
import { defaultPersistentVolumeClaim, defaultPersistentVolumeSource } from './volumes.js';

test('persistent volume sources', () => {
  const cases: Array<{ name: string; spec: JSONObject; want: JSONObject }> = [
    {
      name: 'scaleIO',
      spec: { scaleIO: { gateway: 'g', system: 's', secretRef: { name: 'x' } } },
      want: { scaleIO: { gateway: 'g', system: 's', secretRef: { name: 'x' }, storageMode: 'ThinProvisioned', fsType: 'xfs' } },
    },
    {
      name: 'rbd keeps what it names',
      spec: { rbd: { monitors: ['m'], image: 'i', pool: 'kube', user: '' } },
      want: { rbd: { monitors: ['m'], image: 'i', pool: 'kube', user: 'admin', keyring: '/etc/ceph/keyring' } },
    },
    {
      name: 'azureDisk keeps explicit choices',
      spec: { azureDisk: { diskName: 'd', diskURI: 'u', readOnly: true, kind: 'Managed', cachingMode: 'None', fsType: '' } },
      want: { azureDisk: { diskName: 'd', diskURI: 'u', readOnly: true, kind: 'Managed', cachingMode: 'None', fsType: '' } },
    },
    { name: 'nfs has no defaults', spec: { nfs: { server: 's', path: '/' } }, want: { nfs: { server: 's', path: '/' } } },
    { name: 'hostPath with a type', spec: { hostPath: { path: '/p', type: 'Directory' } }, want: { hostPath: { path: '/p', type: 'Directory' } } },
  ];
  for (const c of cases) {
    defaultPersistentVolumeSource(c.spec);
    assert.deepEqual(c.spec, c.want, c.name);
  }
});

test('a claim without spec or status still gets both', () => {
  const claim: JSONObject = { metadata: { name: 'data' } };
  defaultPersistentVolumeClaim(claim);
  assert.deepEqual(claim, { metadata: { name: 'data' }, status: { phase: 'Pending' }, spec: { volumeMode: 'Filesystem' } });
});
