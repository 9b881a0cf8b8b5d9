// Escalation prevention: covers() as upstream, and the role/binding checks with escalate and bind.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../../apimachinery/errors.js';
import type { UserInfo } from '../../authentication/interface.js';
import { PrivilegedGroupsAuthorizer } from '../builtin.js';
import { UnionAuthorizer } from '../union.js';
import { RBACAuthorizer } from './authorizer.js';
import { compactString, covers } from './covers.js';
import { EscalationCheck } from './escalation.js';
import { PolicyIndex } from './policy-index.js';
import type { BindingObject, PolicyRule, RoleObject } from './types.js';

test('covers', () => {
  const cases: Array<{ name: string; owner: PolicyRule[]; servant: PolicyRule[]; covered: boolean }> = [
    { name: 'exact', owner: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], servant: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], covered: true },
    { name: 'split across owner rules', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, { verbs: ['list'], apiGroups: [''], resources: ['pods'] }], servant: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], covered: true },
    { name: 'missing verb', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], servant: [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }], covered: false },
    { name: 'star covers all', owner: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], servant: [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }], covered: true },
    { name: '*/scale covers deployments/scale', owner: [{ verbs: ['get'], apiGroups: ['apps'], resources: ['*/scale'] }], servant: [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'] }], covered: true },
    { name: 'named owner does not cover unnamed', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], servant: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], covered: false },
    { name: 'unnamed owner covers named', owner: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], servant: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], covered: true },
    { name: 'URL prefix', owner: [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], servant: [{ verbs: ['get'], nonResourceURLs: ['/logs/a', '/logs/b/c'] }], covered: true },
    { name: 'URL outside prefix', owner: [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], servant: [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }], covered: false },
  ];
  for (const c of cases) assert.equal(covers(c.owner, c.servant).covered, c.covered, c.name);
  assert.equal(compactString({ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['x'] }), '{APIGroups:[""], Resources:["pods"], ResourceNames:["x"], Verbs:["get" "list"]}');
});

function setup(): EscalationCheck {
  const index = new PolicyIndex();
  const h = index.handlers();
  h.clusterRoles.onReplace([
    { metadata: { name: 'pods-rw' }, rules: [{ verbs: ['get', 'list', 'create'], apiGroups: [''], resources: ['pods'] }, { verbs: ['create', 'update'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'] }] },
    { metadata: { name: 'secrets-admin' }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }] },
    { metadata: { name: 'pods-read' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
    { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['secrets-admin'] }] },
    { metadata: { name: 'escalator' }, rules: [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }] },
  ]);
  h.roles.onReplace([]);
  h.clusterRoleBindings.onReplace([]);
  const rb = (name: string, role: string, user: string): BindingObject => ({ metadata: { name, namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: user }] });
  h.roleBindings.onReplace([rb('a', 'pods-rw', 'amy'), rb('b', 'pods-rw', 'ben'), rb('c', 'binder', 'ben'), rb('d', 'pods-rw', 'eve'), rb('e', 'escalator', 'eve')]);
  const rbac = new RBACAuthorizer(index);
  return new EscalationCheck({ authorizer: new UnionAuthorizer([new PrivilegedGroupsAuthorizer(['system:masters']), rbac]), rbac });
}

const who = (name: string): UserInfo => ({ name, groups: ['system:authenticated'] });
const role = (rules: PolicyRule[]): RoleObject => ({ metadata: { name: 'r', namespace: 'dev' }, rules });
const binding = (roleName: string): BindingObject => ({ metadata: { name: 'x', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName }, subjects: [{ kind: 'User', name: 'someone' }] });

test('roles: no more than you hold, unless escalate or system:masters', async () => {
  const check = setup();
  const req = (user: string) => ({ resource: 'roles' as const, user: who(user), namespace: 'dev', name: '' });
  await check.checkRole(req('amy'), role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), undefined);
  await assert.rejects(check.checkRole(req('amy'), role([{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods', 'secrets'] }]), undefined), (err: unknown) => {
    assert.ok(isStatusError(err));
    assert.equal(err.code, 403);
    assert.equal(
      err.message,
      'roles.rbac.authorization.k8s.io "r" is forbidden: user "amy" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "delete"]}',
    );
    return true;
  });
  await check.checkRole(req('eve'), role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), undefined);
  await check.checkRole({ ...req('root'), user: { name: 'root', groups: ['system:masters'] } }, role([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), undefined);
});

test('bindings: bind on the role, or hold everything it grants', async () => {
  const check = setup();
  const req = (user: string) => ({ resource: 'rolebindings' as const, user: who(user), namespace: 'dev', name: '' });
  await check.checkBinding(req('amy'), binding('pods-read'), undefined);
  await assert.rejects(check.checkBinding(req('amy'), binding('secrets-admin'), undefined), /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["\*"\]\}/);
  await check.checkBinding(req('ben'), binding('secrets-admin'), undefined);
  await assert.rejects(check.checkBinding(req('amy'), binding('missing'), undefined), /clusterrole.rbac.authorization.k8s.io "missing" not found/);
});
