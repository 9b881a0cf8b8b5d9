import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testAttributes } from '../test-attributes.js';
import { newNamespaceLifecycle } from './namespace-lifecycle.js';

test('default, kube-system and kube-public may not be deleted', async () => {
  const plugin = newNamespaceLifecycle();
  const cases = [
    { resource: 'namespaces', name: 'default', err: 'namespaces "default" is forbidden: this namespace may not be deleted' },
    { resource: 'namespaces', name: 'kube-system', err: 'namespaces "kube-system" is forbidden: this namespace may not be deleted' },
    { resource: 'namespaces', name: 'kube-public', err: 'namespaces "kube-public" is forbidden: this namespace may not be deleted' },
    { resource: 'namespaces', name: 'kube-node-lease', err: undefined },
    { resource: 'namespaces', name: 'team-a', err: undefined },
    { resource: 'configmaps', name: 'default', err: undefined },
  ];
  for (const c of cases) {
    const run = plugin.validate!(testAttributes({ operation: 'DELETE', kind: 'Namespace', resource: c.resource, name: c.name, oldObject: { metadata: { name: c.name } } }));
    if (c.err) await assert.rejects(run, { code: 403, reason: 'Forbidden', message: c.err });
    else await run;
  }
});
