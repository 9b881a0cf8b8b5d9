import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionAttributes } from '../interface.js';
import { newStorageObjectInUseProtection } from './storage-object-in-use-protection.js';

function attrs(resource: string, obj: Record<string, unknown>, operation: AdmissionAttributes['operation'] = 'CREATE'): AdmissionAttributes {
  return {
    operation,
    kind: { group: '', version: 'v1', kind: 'X' },
    resource: { group: '', version: 'v1', resource },
    subresource: '',
    namespace: resource === 'persistentvolumes' ? '' : 'default',
    name: 'x',
    object: obj,
    user: { name: 'u', groups: [] },
    dryRun: false,
  };
}

test('new claims and volumes get their protection finalizer once; other kinds and operations are untouched', async () => {
  const plugin = newStorageObjectInUseProtection();
  const cases: Array<{ name: string; resource: string; finalizers?: string[]; want?: string[] }> = [
    { name: 'claim', resource: 'persistentvolumeclaims', want: ['kubernetes.io/pvc-protection'] },
    { name: 'volume', resource: 'persistentvolumes', want: ['kubernetes.io/pv-protection'] },
    { name: 'claim with other finalizers', resource: 'persistentvolumeclaims', finalizers: ['a/b'], want: ['a/b', 'kubernetes.io/pvc-protection'] },
    { name: 'already there', resource: 'persistentvolumeclaims', finalizers: ['kubernetes.io/pvc-protection'], want: ['kubernetes.io/pvc-protection'] },
    { name: 'a pod', resource: 'pods', want: undefined },
  ];
  for (const c of cases) {
    const obj: Record<string, unknown> = { metadata: c.finalizers ? { finalizers: c.finalizers } : {} };
    await plugin.admit!(attrs(c.resource, obj));
    assert.deepEqual((obj.metadata as { finalizers?: string[] }).finalizers, c.want, c.name);
  }
  assert.equal(plugin.handles('UPDATE'), false);
  assert.equal(plugin.handles('CREATE'), true);
});
