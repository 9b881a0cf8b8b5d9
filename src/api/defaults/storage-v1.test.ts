import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Defaulter, JSONObject } from './fields.js';
import { defaultCSIDriver, defaultStorageClass, defaultVolumeAttachment } from './storage-v1.js';

test('storage.k8s.io/v1 defaults', () => {
  const cases: Array<{ name: string; defaulter: Defaulter; obj: JSONObject; want: JSONObject }> = [
    {
      name: 'StorageClass',
      defaulter: defaultStorageClass,
      obj: { provisioner: 'rancher.io/local-path' },
      want: { provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
    },
    {
      name: 'StorageClass with its own choices',
      defaulter: defaultStorageClass,
      obj: { provisioner: 'p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
      want: { provisioner: 'p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
    },
    {
      name: 'CSIDriver',
      defaulter: defaultCSIDriver,
      obj: { spec: { attachRequired: false } },
      want: {
        spec: {
          attachRequired: false, podInfoOnMount: false, storageCapacity: false, fsGroupPolicy: 'ReadWriteOnceWithFSType',
          volumeLifecycleModes: ['Persistent'], requiresRepublish: false, seLinuxMount: false,
        },
      },
    },
    {
      name: 'VolumeAttachment with an inline volume',
      defaulter: defaultVolumeAttachment,
      obj: { spec: { attacher: 'a', nodeName: 'n', source: { inlineVolumeSpec: { iscsi: { targetPortal: 't', iqn: 'i', lun: 0 } } } } },
      want: { spec: { attacher: 'a', nodeName: 'n', source: { inlineVolumeSpec: { iscsi: { targetPortal: 't', iqn: 'i', lun: 0, iscsiInterface: 'default' } } } } },
    },
  ];
  for (const c of cases) {
    c.defaulter(c.obj, { now: () => 0 });
    assert.deepEqual(c.obj, c.want, c.name);
  }
});
