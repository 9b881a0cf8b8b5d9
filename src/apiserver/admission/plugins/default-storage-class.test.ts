import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticReader } from '../static-reader.js';
import { testAttributes } from '../test-attributes.js';
import { newDefaultStorageClass } from './default-storage-class.js';

const sc = (name: string, created: string, isDefault?: string) => ({
  group: 'storage.k8s.io',
  resource: 'storageclasses',
  obj: { metadata: { name, creationTimestamp: created, annotations: isDefault ? { [isDefault]: 'true' } : {} }, provisioner: 'x' },
});

test('claims without a class get the newest default; explicit classes and "" stay', async () => {
  const withDefaults = newDefaultStorageClass({
    reader: staticReader([sc('slow', '2026-01-01T00:00:00Z'), sc('old-default', '2026-01-01T00:00:00Z', 'storageclass.kubernetes.io/is-default-class'), sc('beta-default', '2026-02-01T00:00:00Z', 'storageclass.beta.kubernetes.io/is-default-class')]),
  });
  const none = newDefaultStorageClass({ reader: staticReader([sc('slow', '2026-01-01T00:00:00Z')]) });
  const cases = [
    { plugin: withDefaults, spec: {}, want: 'beta-default' },
    { plugin: withDefaults, spec: { storageClassName: 'slow' }, want: 'slow' },
    { plugin: withDefaults, spec: { storageClassName: '' }, want: '' },
    { plugin: none, spec: {}, want: undefined },
  ];
  for (const c of cases) {
    const pvc = { metadata: { name: 'data' }, spec: { ...c.spec } as { storageClassName?: string } };
    await c.plugin.admit!(testAttributes({ kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespace: 'ns', object: pvc }));
    assert.equal(pvc.spec.storageClassName, c.want, JSON.stringify(c.spec));
  }
});
