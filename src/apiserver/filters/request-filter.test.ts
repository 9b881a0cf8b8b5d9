// The secure port's filter chain in a real in-process apiserver (memory store, no sockets): 401s,
// anonymous requests, token-file and service-account users, impersonation and Forbidden messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes, Authorizer, AuthorizationResult } from '../authorization/interface.js';
import { startSecureTestServer, type SecureTestServer } from '../authentication/testing/secure-apiserver.js';

const whoami = ({ call }: SecureTestServer, headers: Record<string, string | string[]> = {}) =>
  call('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', headers, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' });

const unauthorizedBody = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}';

test('authentication: anonymous, token file, service-account tokens, invalid credentials', async (t) => {
  const server = await startSecureTestServer(t);
  const anon = await whoami(server);
  assert.equal(anon.status, 201, anon.text);
  assert.deepEqual(anon.json.status.userInfo, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  const alice = await whoami(server, { authorization: 'Bearer alice-token' });
  assert.deepEqual(alice.json.status.userInfo, { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] });

  const cases: Array<{ name: string; authorization: string; status: number }> = [
    { name: 'unknown static token', authorization: 'Bearer nope', status: 401 },
    { name: 'garbage JWT', authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMuY2x1c3Rlci5sb2NhbCJ9.AAAA', status: 401 },
    { name: 'non-bearer scheme is no credential', authorization: 'Basic YWxpY2U6cHc=', status: 201 },
    { name: 'control bytes', authorization: 'Bearer \u0001\u0002', status: 401 },
    { name: 'huge token', authorization: `Bearer ${'A'.repeat(256 * 1024)}`, status: 401 },
  ];
  for (const c of cases) {
    const r = await whoami(server, { authorization: c.authorization });
    assert.equal(r.status, c.status, `${c.name}: ${r.text.slice(0, 200)}`);
    if (c.status === 401) assert.equal(r.text, unauthorizedBody, c.name);
  }

  // TokenRequest → a token that authenticates as the service account.
  assert.equal((await server.call('POST', '/api/v1/namespaces/default/serviceaccounts', {}, { metadata: { name: 'default' } })).status, 201);
  const tr = await server.call('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', {}, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: {} });
  assert.equal(tr.status, 201, tr.text);
  const sa = await whoami(server, { authorization: `Bearer ${tr.json.status.token}` });
  assert.equal(sa.json.status.userInfo.username, 'system:serviceaccount:default:default');
  assert.deepEqual(sa.json.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
  assert.match(sa.json.status.userInfo.extra['authentication.kubernetes.io/credential-id'][0], /^JTI=[0-9a-f-]{36}$/);
});

test('authentication: AlwaysAllow switches anonymous access off, as upstream', async (t) => {
  const server = await startSecureTestServer(t, { authorizationMode: ['AlwaysAllow'] });
  const anon = await server.call('GET', '/api/v1/namespaces');
  assert.equal(anon.status, 401);
  assert.equal(anon.text, unauthorizedBody);
  assert.equal((await server.call('GET', '/api/v1/namespaces', { authorization: 'Bearer admin-token' })).status, 200);
});

test('authentication: with no authenticator configured and no anonymous access, authentication is off', async (t) => {
  const server = await startSecureTestServer(t, { authorizationMode: ['AlwaysAllow'], tokenAuthFile: '', serviceAccountKeyFiles: [], serviceAccountSigningKeyFile: '', serviceAccountIssuers: [] });
  const r = await whoami(server, { authorization: 'Bearer anything' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status.userInfo.username, 'system:unsecured');
});

test('authentication: without --anonymous-auth a request with no credential is a 401', async (t) => {
  const server = await startSecureTestServer(t, { anonymousAuth: false });
  for (const p of ['/version', '/api/v1/namespaces', '/healthz']) {
    const r = await server.call('GET', p);
    assert.equal(r.status, 401, p);
    assert.equal(r.text, unauthorizedBody, p);
  }
  assert.equal((await server.call('GET', '/version', { authorization: 'Bearer alice-token' })).status, 200);
});

/** Allows everything except what `deny` matches; the reason comes back in the message. */
function denying(deny: (a: Attributes) => boolean, reason = ''): Authorizer {
  return {
    async authorize(a: Attributes): Promise<AuthorizationResult> {
      return deny(a) ? { decision: reason ? 'deny' : 'noOpinion', reason } : { decision: 'allow', reason: '' };
    },
  };
}

test('authorization: Forbidden with upstream messages and details', async (t) => {
  const server = await startSecureTestServer(t, {}, denying((a) => a.user.name === 'alice' && a.verb !== 'create'));
  const cases: Array<{ url: string; message: string; details: object }> = [
    { url: '/api/v1/namespaces/default/pods', message: 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"', details: { kind: 'pods' } },
    { url: '/api/v1/namespaces/default/pods/web/log', message: 'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"', details: { name: 'web', kind: 'pods' } },
    { url: '/apis/apps/v1/deployments', message: 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope', details: { group: 'apps', kind: 'deployments' } },
    { url: '/apis/apps/v1/watch/namespaces/x/deployments', message: 'deployments.apps is forbidden: User "alice" cannot watch resource "deployments" in API group "apps" in the namespace "x"', details: { group: 'apps', kind: 'deployments' } },
    { url: '/foo', message: 'forbidden: User "alice" cannot get path "/foo"', details: {} },
  ];
  for (const c of cases) {
    const r = await server.call('GET', c.url, { authorization: 'Bearer alice-token' });
    assert.equal(r.status, 403, c.url);
    assert.deepEqual(r.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: c.message, reason: 'Forbidden', details: c.details, code: 403 }, c.url);
  }
});

test('authorization: the authorizer reason is appended', async (t) => {
  const server = await startSecureTestServer(t, {}, denying(() => true, 'no RBAC policy matched'));
  const r = await server.call('GET', '/api/v1/nodes/n1', { authorization: 'Bearer alice-token' });
  assert.equal(r.json.message, 'nodes "n1" is forbidden: User "alice" cannot get resource "nodes" in API group "" at the cluster scope: no RBAC policy matched');
});

test('impersonation: each part authorized as verb impersonate; the request acts as the impersonated user', async (t) => {
  const server = await startSecureTestServer(
    t,
    {},
    denying((a) => a.verb === 'impersonate' && a.user.name === 'alice' && !(a.resource === 'users' && a.name === 'bob') && !(a.resource === 'groups' && a.name === 'dev')),
  );
  const cases: Array<{ name: string; user: string; headers: Record<string, string | string[]>; status: number; userInfo?: object; message?: string }> = [
    { name: 'user', user: 'admin-token', headers: { 'impersonate-user': 'bob' }, status: 201, userInfo: { username: 'bob', groups: ['system:authenticated'] } },
    {
      name: 'user, groups, extra, uid',
      user: 'admin-token',
      headers: { 'impersonate-user': 'bob', 'impersonate-group': 'dev, qa', 'impersonate-extra-scopes%2Fa': 'read', 'impersonate-uid': 'u-1' },
      status: 201,
      userInfo: { username: 'bob', uid: 'u-1', groups: ['dev', 'qa', 'system:authenticated'], extra: { 'scopes/a': ['read'] } },
    },
    { name: 'service account', user: 'admin-token', headers: { 'impersonate-user': 'system:serviceaccount:kube-system:builder' }, status: 201, userInfo: { username: 'system:serviceaccount:kube-system:builder', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] } },
    { name: 'anonymous', user: 'admin-token', headers: { 'impersonate-user': 'system:anonymous' }, status: 201, userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] } },
    { name: 'allowed for alice', user: 'alice-token', headers: { 'impersonate-user': 'bob', 'impersonate-group': 'dev' }, status: 201, userInfo: { username: 'bob', groups: ['dev', 'system:authenticated'] } },
    { name: 'denied user', user: 'alice-token', headers: { 'impersonate-user': 'carol' }, status: 403, message: 'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope' },
    { name: 'denied group', user: 'alice-token', headers: { 'impersonate-user': 'bob', 'impersonate-group': 'system:masters' }, status: 403, message: 'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope' },
    { name: 'denied service account', user: 'alice-token', headers: { 'impersonate-user': 'system:serviceaccount:ns1:sa1' }, status: 403, message: 'serviceaccounts "sa1" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ns1"' },
    { name: 'denied extra', user: 'alice-token', headers: { 'impersonate-user': 'bob', 'impersonate-extra-scopes': 'x' }, status: 403, message: 'userextras.authentication.k8s.io "x" is forbidden: User "alice" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope' },
    { name: 'denied uid', user: 'alice-token', headers: { 'impersonate-user': 'bob', 'impersonate-uid': 'u-9' }, status: 403, message: 'uids.authentication.k8s.io "u-9" is forbidden: User "alice" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope' },
    { name: 'group without user', user: 'admin-token', headers: { 'impersonate-group': 'dev' }, status: 500 },
  ];
  for (const c of cases) {
    const r = await whoami(server, { authorization: `Bearer ${c.user}`, ...c.headers });
    assert.equal(r.status, c.status, `${c.name}: ${r.text}`);
    if (c.userInfo) assert.deepEqual(r.json.status.userInfo, c.userInfo, c.name);
    if (c.message) assert.equal(r.json.message, c.message, c.name);
  }
});

test('bootstrap tokens: a kube-system secret authenticates system:bootstrap:<id> once --enable-bootstrap-token-auth is set', async (t) => {
  const server = await startSecureTestServer(t, { enableBootstrapTokenAuth: true });
  const token = 'abcdef.0123456789abcdef';
  assert.equal((await whoami(server, { authorization: `Bearer ${token}` })).status, 401, 'no secret yet');
  const secret = await server.call('POST', '/api/v1/namespaces/kube-system/secrets', {}, {
    metadata: { name: 'bootstrap-token-abcdef' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token' },
  });
  assert.equal(secret.status, 201, secret.text);
  const r = await whoami(server, { authorization: `Bearer ${token}` });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.status.userInfo, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] });
  assert.equal((await whoami(server, { authorization: 'Bearer abcdef.ffffffffffffffff' })).status, 401, 'wrong secret');
});
