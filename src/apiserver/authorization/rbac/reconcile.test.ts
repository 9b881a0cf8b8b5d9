// Reconciling the default policy: created once, idempotent, user additions kept, autoupdate=false honoured.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newTestServer } from '../../endpoints/testing/harness.js';
import type { APIObject } from '../../registry/strategy.js';
import { reconcileBootstrapPolicy } from './bootstrap-roles.js';
import { bootstrapPolicy } from './bootstrap-policy.js';
import { reconcileBinding, reconcileRole } from './reconcile.js';
import type { BindingObject, RoleObject } from './types.js';

const expectedRole: RoleObject = {
  metadata: { name: 'r', labels: { a: '1' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
  rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
};

test('reconcileRole', () => {
  const cases: Array<{ name: string; existing?: RoleObject; operation: string; protected?: boolean; rules?: unknown; labels?: unknown }> = [
    { name: 'missing → create', operation: 'create', rules: expectedRole.rules },
    { name: 'equal → none', existing: structuredClone(expectedRole), operation: 'none' },
    {
      name: 'a missing verb is added as a broken-down rule; user rules stay',
      existing: { metadata: { ...expectedRole.metadata }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], apiGroups: [''], resources: ['secrets'] }] },
      operation: 'update',
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['get'], apiGroups: [''], resources: ['secrets'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
      ],
    },
    {
      name: 'labels merged, existing values win',
      existing: { metadata: { name: 'r', labels: { a: 'mine', b: '2' }, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } }, rules: expectedRole.rules },
      operation: 'none',
      labels: { a: 'mine', b: '2' },
    },
    {
      name: 'autoupdate=false protects',
      existing: { metadata: { name: 'r', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] },
      operation: 'update',
      protected: true,
    },
  ];
  for (const c of cases) {
    const r = reconcileRole(c.existing, expectedRole);
    assert.equal(r.operation, c.operation, c.name);
    assert.equal(r.protected, c.protected ?? false, c.name);
    if (c.rules) assert.deepEqual(r.object.rules, c.rules, c.name);
    if (c.labels) assert.deepEqual(r.object.metadata.labels, c.labels, c.name);
  }
});

test('reconcileBinding: missing subjects added, extra kept, changed roleRef recreated', () => {
  const expected: BindingObject = { metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'g' }] };
  const extra = { kind: 'User', name: 'me' };
  const r1 = reconcileBinding({ ...structuredClone(expected), subjects: [extra] }, expected);
  assert.equal(r1.operation, 'update');
  assert.deepEqual(r1.object.subjects, [extra, { kind: 'Group', name: 'g' }]);
  const r2 = reconcileBinding({ ...structuredClone(expected), roleRef: { ...expected.roleRef, name: 'edit' }, subjects: [extra] }, expected);
  assert.equal(r2.operation, 'recreate');
  assert.equal(r2.object.roleRef.name, 'view');
  assert.deepEqual(r2.object.subjects, [{ kind: 'Group', name: 'g' }, extra]);
});

test('reconcileBootstrapPolicy against a real registry: creates everything once, then keeps user changes', async () => {
  const server = await newTestServer({ namespaces: ['default', 'kube-system'] });
  try {
    const policy = bootstrapPolicy();
    const first = await reconcileBootstrapPolicy(server.registries);
    const total = policy.clusterRoles.length + policy.clusterRoleBindings.length + policy.roles.length + policy.roleBindings.length;
    assert.equal(first.created.length, total);
    // kube-public did not exist: it was created for its Role.
    await server.registries.get('', 'namespaces')!.get({ namespace: '', name: 'kube-public' });

    const second = await reconcileBootstrapPolicy(server.registries);
    assert.deepEqual(second, { created: [], updated: [], skipped: [] });

    const crs = server.registries.get('rbac.authorization.k8s.io', 'clusterroles')!;
    const crbs = server.registries.get('rbac.authorization.k8s.io', 'clusterrolebindings')!;
    // A user adds a rule to system:discovery and a subject to cluster-admin; removes a rule from system:basic-user.
    const discovery = await crs.get({ namespace: '', name: 'system:discovery' });
    const added = { verbs: ['get'], nonResourceURLs: ['/custom'] };
    await crs.update({ namespace: '', name: 'system:discovery', obj: { ...discovery, rules: [...(discovery.rules as unknown[]), added] } as APIObject });
    const admin = await crbs.get({ namespace: '', name: 'cluster-admin' });
    await crbs.update({ namespace: '', name: 'cluster-admin', obj: { ...admin, subjects: [...(admin.subjects as unknown[]), { kind: 'User', name: 'root' }] } as APIObject });
    const basic = await crs.get({ namespace: '', name: 'system:basic-user' });
    await crs.update({ namespace: '', name: 'system:basic-user', obj: { ...basic, rules: [] } as APIObject });
    // And protects system:monitoring after emptying it.
    const monitoring = await crs.get({ namespace: '', name: 'system:monitoring' });
    const meta = monitoring.metadata as { annotations: Record<string, string> };
    await crs.update({ namespace: '', name: 'system:monitoring', obj: { ...monitoring, metadata: { ...meta, annotations: { ...meta.annotations, 'rbac.authorization.kubernetes.io/autoupdate': 'false' } }, rules: [] } as APIObject });

    const third = await reconcileBootstrapPolicy(server.registries);
    assert.deepEqual(third.updated, ['clusterroles.rbac.authorization.k8s.io/system:basic-user']);
    assert.deepEqual(third.skipped, ['clusterroles.rbac.authorization.k8s.io/system:monitoring']);
    assert.deepEqual(((await crs.get({ namespace: '', name: 'system:discovery' })).rules as unknown[]).at(-1), added);
    assert.ok(((await crbs.get({ namespace: '', name: 'cluster-admin' })).subjects as Array<{ name: string }>).some((s) => s.name === 'root'));
    assert.deepEqual((await crs.get({ namespace: '', name: 'system:monitoring' })).rules, []);
    assert.equal(((await crs.get({ namespace: '', name: 'system:basic-user' })).rules as unknown[]).length, 3);
  } finally {
    server.close();
  }
});
