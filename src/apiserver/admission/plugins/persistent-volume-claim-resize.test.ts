import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newPersistentVolumeClaimResize } from './persistent-volume-claim-resize.js';

test('claims grow only when bound and their class allows expansion', async () => {
  const plugin = newPersistentVolumeClaimResize({
    reader: staticReader([
      { group: 'storage.k8s.io', resource: 'storageclasses', obj: { metadata: { name: 'elastic' }, provisioner: 'x', allowVolumeExpansion: true } },
      { group: 'storage.k8s.io', resource: 'storageclasses', obj: { metadata: { name: 'fixed' }, provisioner: 'x' } },
    ]),
  });
  const claim = (cls: string, size: string, phase = 'Bound') => ({ metadata: { name: 'data' }, spec: { storageClassName: cls, resources: { requests: { storage: size } } }, status: { phase } });
  const cases = [
    { old: claim('elastic', '1Gi'), next: claim('elastic', '2Gi'), err: undefined },
    { old: claim('fixed', '1Gi'), next: claim('fixed', '1Gi'), err: undefined },
    { old: claim('fixed', '2Gi'), next: claim('fixed', '1Gi'), err: undefined },
    { old: claim('fixed', '1Gi'), next: claim('fixed', '2Gi'), err: 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize' },
    { old: claim('elastic', '1Gi', 'Pending'), next: claim('elastic', '2Gi'), err: 'Only bound persistent volume claims can be expanded' },
  ];
  for (const c of cases) {
    const run = plugin.validate!(testAttributes({ operation: 'UPDATE', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespace: 'ns', object: c.next, oldObject: c.old }));
    if (c.err) await assert.rejects(run, { code: 403, message: `persistentvolumeclaims "data" is forbidden: ${c.err}` });
    else await run;
  }
});
