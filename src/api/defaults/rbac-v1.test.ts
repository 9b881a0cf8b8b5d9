import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { JSONObject } from './fields.js';
import { defaultRoleBinding } from './rbac-v1.js';

test('RBAC bindings default API groups', () => {
  // kubectl fills the groups itself: its body comes back unchanged.
  const fromKubectl = JSON.parse(readFileSync(new URL('../testdata/protobuf/clusterrolebinding.kubectl.json', import.meta.url), 'utf8')) as JSONObject;
  const unchanged = structuredClone(fromKubectl);
  defaultRoleBinding(fromKubectl);
  assert.deepEqual(fromKubectl, unchanged);

  const manifest: JSONObject = {
    roleRef: { kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'Group', name: 'ops' }, { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' }],
  };
  defaultRoleBinding(manifest);
  assert.deepEqual(manifest, {
    roleRef: { kind: 'Role', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' },
    subjects: [
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'Group', name: 'ops', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'ci' },
    ],
  });
});
