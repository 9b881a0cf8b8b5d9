// The review resources answer with the authorizer chain's decisions and rule resolver, and validate as upstream.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStatusError } from '../../apimachinery/errors.js';
import type { UserInfo } from '../authentication/interface.js';
import type { CreateOnlyResource } from '../endpoints/create-only.js';
import type { RequestInfo } from '../request-info.js';
import type { APIObject } from '../registry/strategy.js';
import type { SecurityContext } from '../security-context.js';
import { PrivilegedGroupsAuthorizer } from './builtin.js';
import { RBACAuthorizer } from './rbac/authorizer.js';
import { PolicyIndex } from './rbac/policy-index.js';
import { authorizationResources } from './resources.js';
import { UnionAuthorizer, UnionRuleResolver } from './union.js';

const index = new PolicyIndex();
const h = index.handlers();
h.clusterRoles.onReplace([{ metadata: { name: 'view-pods' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }] }]);
h.roles.onReplace([]);
h.clusterRoleBindings.onReplace([]);
h.roleBindings.onReplace([{ metadata: { name: 'b', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view-pods' }, subjects: [{ kind: 'User', name: 'amy' }] }]);
const rbac = new RBACAuthorizer(index);
const chain = { authorizer: new UnionAuthorizer([new PrivilegedGroupsAuthorizer(['system:masters']), rbac]), ruleResolver: new UnionRuleResolver([rbac]) };
const resources = new Map<string, CreateOnlyResource>(authorizationResources({} as SecurityContext, chain).map((r) => [r.kind, r]));

const amy: UserInfo = { name: 'amy', groups: ['system:authenticated'] };
const info = (namespace = ''): RequestInfo =>
  ({ isResourceRequest: true, path: '', verb: 'create', apiPrefix: 'apis', apiGroup: 'authorization.k8s.io', apiVersion: 'v1', namespace, resource: '', subresource: '', name: '', parts: [] }) as RequestInfo;

async function post(kind: string, body: Record<string, unknown>, user: UserInfo = amy, namespace = ''): Promise<APIObject> {
  const r = resources.get(kind)!;
  const out = await r.create({ info: info(namespace), body: { apiVersion: 'authorization.k8s.io/v1', kind, metadata: {}, ...body } as APIObject, user, dryRun: false, query: new URLSearchParams() });
  return out.obj;
}

async function rejects(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => isStatusError(err) && err.code === code && err.message === message);
}

test('SelfSubjectAccessReview answers for the requester', async () => {
  const cases: Array<{ spec: Record<string, unknown>; allowed: boolean }> = [
    { spec: { resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } }, allowed: true },
    { spec: { resourceAttributes: { namespace: 'dev', verb: 'create', resource: 'pods' } }, allowed: false },
    { spec: { resourceAttributes: { namespace: 'prod', verb: 'list', resource: 'pods' } }, allowed: false },
    { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, allowed: false },
  ];
  for (const c of cases) {
    const obj = await post('SelfSubjectAccessReview', { spec: c.spec });
    assert.equal((obj.status as { allowed: boolean }).allowed, c.allowed, JSON.stringify(c.spec));
  }
  const allowed = await post('SelfSubjectAccessReview', { spec: { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
  assert.deepEqual(allowed.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "b/dev" of ClusterRole "view-pods" to User "amy"' });
  const masters = await post('SelfSubjectAccessReview', { spec: { resourceAttributes: { verb: 'delete', resource: 'nodes' } } }, { name: 'root', groups: ['system:masters'] });
  assert.deepEqual(masters.status, { allowed: true });
  await rejects(post('SelfSubjectAccessReview', { spec: {} }), 422, 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified');
});

test('SubjectAccessReview asks about the spec user; user or group required', async () => {
  const obj = await post('SubjectAccessReview', { spec: { user: 'amy', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods', name: 'p' } } }, { name: 'root', groups: ['system:masters'] });
  assert.equal((obj.status as { allowed: boolean }).allowed, true);
  const other = await post('SubjectAccessReview', { spec: { user: 'bob', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
  assert.deepEqual(other.status, { allowed: false });
  await rejects(post('SubjectAccessReview', { spec: { resourceAttributes: { verb: 'get' } } }), 422, 'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified');
});

test('LocalSubjectAccessReview: the namespace must match the URL', async () => {
  const obj = await post('LocalSubjectAccessReview', { spec: { user: 'amy', resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } } }, amy, 'dev');
  assert.equal((obj.status as { allowed: boolean }).allowed, true);
  assert.equal((obj.metadata as { namespace: string }).namespace, 'dev');
  await rejects(
    post('LocalSubjectAccessReview', { spec: { user: 'amy', resourceAttributes: { namespace: 'prod', verb: 'list', resource: 'pods' } } }, amy, 'dev'),
    422,
    'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "prod": must match metadata.namespace',
  );
  await rejects(post('LocalSubjectAccessReview', { spec: { user: 'amy', resourceAttributes: { verb: 'list' } } }), 400, 'namespace is required on this type: ');
});

test('SelfSubjectRulesReview lists the rules the authorizer enforces', async () => {
  const obj = await post('SelfSubjectRulesReview', { spec: { namespace: 'dev' } });
  assert.deepEqual(obj.status, {
    resourceRules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    incomplete: false,
  });
  assert.deepEqual(obj.spec, {});
  await rejects(post('SelfSubjectRulesReview', { spec: {} }), 400, 'no namespace on request');
});
