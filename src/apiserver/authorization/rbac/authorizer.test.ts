// Table-driven RBAC evaluation: verbs, groups, resources and subresources, names, URLs, subjects, and the
// allow reasons / resolution errors upstream gives.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UserInfo } from '../../authentication/interface.js';
import type { Attributes } from '../interface.js';
import { RBACAuthorizer } from './authorizer.js';
import { PolicyIndex } from './policy-index.js';
import type { BindingObject, PolicyRule, RoleObject, Subject } from './types.js';

const clusterRole = (name: string, rules: PolicyRule[]): RoleObject => ({ metadata: { name }, rules });
const role = (namespace: string, name: string, rules: PolicyRule[]): RoleObject => ({ metadata: { name, namespace }, rules });
const crb = (name: string, roleName: string, subjects: Subject[]): BindingObject => ({
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
  subjects,
});
const rb = (namespace: string, name: string, kind: string, roleName: string, subjects: Subject[]): BindingObject => ({
  metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: roleName },
  subjects,
});

function newIndex(p: { clusterRoles?: RoleObject[]; roles?: RoleObject[]; clusterRoleBindings?: BindingObject[]; roleBindings?: BindingObject[] }): PolicyIndex {
  const index = new PolicyIndex();
  const h = index.handlers();
  h.clusterRoles.onReplace(p.clusterRoles ?? []);
  h.roles.onReplace(p.roles ?? []);
  h.clusterRoleBindings.onReplace(p.clusterRoleBindings ?? []);
  h.roleBindings.onReplace(p.roleBindings ?? []);
  return index;
}

const index = newIndex({
  clusterRoles: [
    clusterRole('pod-reader', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }]),
    clusterRole('scaler', [{ verbs: ['get', 'update'], apiGroups: ['*'], resources: ['*/scale'] }]),
    clusterRole('all-apps', [{ verbs: ['*'], apiGroups: ['apps'], resources: ['*'] }]),
    clusterRole('one-cm', [{ verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }]),
    clusterRole('health', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/logs/*'] }]),
  ],
  roles: [role('team-a', 'secret-writer', [{ verbs: ['create', 'delete'], apiGroups: [''], resources: ['secrets'] }])],
  clusterRoleBindings: [
    crb('alice-pods', 'pod-reader', [{ kind: 'User', name: 'alice' }]),
    crb('ops-health', 'health', [{ kind: 'Group', name: 'ops' }]),
    crb('sa-no-namespace', 'all-apps', [{ kind: 'ServiceAccount', name: 'builder' }]),
    crb('dangling', 'does-not-exist', [{ kind: 'User', name: 'dave' }]),
  ],
  roleBindings: [
    rb('team-a', 'writers', 'Role', 'secret-writer', [{ kind: 'Group', name: 'team-a-devs' }]),
    rb('team-a', 'scalers', 'ClusterRole', 'scaler', [{ kind: 'ServiceAccount', name: 'autoscaler' }]),
    rb('team-a', 'apps', 'ClusterRole', 'all-apps', [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }]),
    rb('team-a', 'cm', 'ClusterRole', 'one-cm', [{ kind: 'User', name: 'carol' }]),
  ],
});
const rbac = new RBACAuthorizer(index);

const u = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
function res(user: UserInfo, verb: string, group: string, resource: string, opts: { ns?: string; sub?: string; name?: string } = {}): Attributes {
  return { user, verb, isResourceRequest: true, path: '', namespace: opts.ns ?? '', apiGroup: group, apiVersion: 'v1', resource, subresource: opts.sub ?? '', name: opts.name ?? '' };
}
function nonRes(user: UserInfo, verb: string, path: string): Attributes {
  return { user, verb, isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
}

test('RBAC decisions', () => {
  const cases: Array<{ name: string; attrs: Attributes; allowed: boolean; reason?: string }> = [
    { name: 'user bound cluster-wide reads pods anywhere', attrs: res(u('alice'), 'list', '', 'pods', { ns: 'x' }), allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "alice-pods" of ClusterRole "pod-reader" to User "alice"' },
    { name: 'verb not in rule', attrs: res(u('alice'), 'delete', '', 'pods', { ns: 'x', name: 'p' }), allowed: false, reason: '' },
    { name: 'rule for pods does not cover pods/log', attrs: res(u('alice'), 'get', '', 'pods', { ns: 'x', sub: 'log', name: 'p' }), allowed: false },
    { name: 'wrong group', attrs: res(u('alice'), 'list', 'apps', 'pods', { ns: 'x' }), allowed: false },
    { name: 'user with no bindings', attrs: res(u('bob'), 'get', '', 'pods', { ns: 'x', name: 'p' }), allowed: false, reason: '' },
    { name: 'group subject on non-resource URL', attrs: nonRes(u('erin', 'ops'), 'get', '/healthz'), allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "ops-health" of ClusterRole "health" to Group "ops"' },
    { name: 'URL prefix with *', attrs: nonRes(u('erin', 'ops'), 'get', '/logs/kube.log'), allowed: true },
    { name: 'URL prefix does not cover its base', attrs: nonRes(u('erin', 'ops'), 'get', '/logs'), allowed: false },
    { name: 'URL verb mismatch', attrs: nonRes(u('erin', 'ops'), 'post', '/healthz'), allowed: false },
    { name: 'Role via RoleBinding in its namespace', attrs: res(u('frank', 'team-a-devs'), 'create', '', 'secrets', { ns: 'team-a' }), allowed: true, reason: 'RBAC: allowed by RoleBinding "writers/team-a" of Role "secret-writer" to Group "team-a-devs"' },
    { name: 'RoleBinding does not reach other namespaces', attrs: res(u('frank', 'team-a-devs'), 'create', '', 'secrets', { ns: 'team-b' }), allowed: false },
    { name: 'RoleBinding does not grant cluster scope', attrs: res(u('frank', 'team-a-devs'), 'create', '', 'secrets'), allowed: false },
    { name: 'service account defaulting to the binding namespace, */scale', attrs: res(u('system:serviceaccount:team-a:autoscaler', 'system:serviceaccounts', 'system:serviceaccounts:team-a'), 'update', 'apps', 'deployments', { ns: 'team-a', sub: 'scale', name: 'web' }), allowed: true, reason: 'RBAC: allowed by RoleBinding "scalers/team-a" of ClusterRole "scaler" to ServiceAccount "autoscaler/team-a"' },
    { name: '*/scale does not cover the main resource', attrs: res(u('system:serviceaccount:team-a:autoscaler'), 'get', 'apps', 'deployments', { ns: 'team-a', name: 'web' }), allowed: false },
    { name: 'service account from another namespace named explicitly', attrs: res(u('system:serviceaccount:ci:deployer'), 'patch', 'apps', 'deployments', { ns: 'team-a', name: 'web', sub: 'status' }), allowed: true },
    { name: 'same SA name in the binding namespace is someone else', attrs: res(u('system:serviceaccount:team-a:deployer'), 'patch', 'apps', 'deployments', { ns: 'team-a', name: 'web' }), allowed: false },
    { name: 'ClusterRoleBinding SA subject without namespace never applies', attrs: res(u('system:serviceaccount:default:builder'), 'get', 'apps', 'deployments', { ns: 'default', name: 'x' }), allowed: false },
    { name: 'resourceNames: named object', attrs: res(u('carol'), 'get', '', 'configmaps', { ns: 'team-a', name: 'settings' }), allowed: true },
    { name: 'resourceNames: other object', attrs: res(u('carol'), 'get', '', 'configmaps', { ns: 'team-a', name: 'other' }), allowed: false },
    { name: 'resourceNames: list has no name', attrs: res(u('carol'), 'list', '', 'configmaps', { ns: 'team-a' }), allowed: false },
    { name: 'binding to a missing role: the resolution error is the reason', attrs: res(u('dave'), 'get', '', 'pods', { ns: 'x', name: 'p' }), allowed: false, reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found' },
  ];
  for (const c of cases) {
    const r = rbac.authorizeSync(c.attrs);
    assert.equal(r.decision, c.allowed ? 'allow' : 'noOpinion', c.name);
    if (c.reason !== undefined) assert.equal(r.reason, c.reason, c.name);
  }
});

test('RBAC rulesFor: cluster rules plus the namespace rules, split into resource and non-resource rules', async () => {
  const r = await rbac.rulesFor(u('frank', 'team-a-devs', 'ops'), 'team-a');
  assert.deepEqual(r.resourceRules, [{ verbs: ['create', 'delete'], apiGroups: [''], resources: ['secrets'] }]);
  assert.deepEqual(r.nonResourceRules, [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/logs/*'] }]);
  assert.equal(r.incomplete, false);
  const dangling = await rbac.rulesFor(u('dave'), '');
  assert.equal(dangling.evaluationError, 'clusterrole.rbac.authorization.k8s.io "does-not-exist" not found');
});

test('the index follows adds, updates and deletes of bindings', () => {
  const idx = newIndex({ clusterRoles: [clusterRole('pod-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])] });
  const a = new RBACAuthorizer(idx);
  const h = idx.handlers();
  const attrs = res(u('zed'), 'get', '', 'pods', { ns: 'n', name: 'p' });
  assert.equal(a.authorizeSync(attrs).decision, 'noOpinion');
  const b1 = rb('n', 'b', 'ClusterRole', 'pod-reader', [{ kind: 'User', name: 'zed' }]);
  h.roleBindings.onAdd(b1);
  assert.equal(a.authorizeSync(attrs).decision, 'allow');
  const b2 = rb('n', 'b', 'ClusterRole', 'pod-reader', [{ kind: 'User', name: 'yan' }]);
  h.roleBindings.onUpdate(b1, b2);
  assert.equal(a.authorizeSync(attrs).decision, 'noOpinion');
  assert.equal(a.authorizeSync({ ...attrs, user: u('yan') }).decision, 'allow');
  h.roleBindings.onDelete(b2);
  assert.equal(a.authorizeSync({ ...attrs, user: u('yan') }).decision, 'noOpinion');
  assert.equal(idx.bindingCount, 0);
});
