// The authentication resources in an in-process apiserver: serviceaccounts/token (defaults, limits, bound
// objects), TokenReview (audiences, errors), SelfSubjectReview versions, and issuer discovery.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSecureTestServer, testIssuer } from './testing/secure-apiserver.js';

const tokenURL = (ns: string, name: string) => `/api/v1/namespaces/${ns}/serviceaccounts/${name}/token`;
const tokenRequest = (spec: object = {}) => ({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec });
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

test('TokenRequest: defaults, limits and bound objects', async (t) => {
  const { call } = await startSecureTestServer(t, { serviceAccountMaxTokenExpirationSeconds: 7200 });
  // Both service accounts exist before their pods (the ServiceAccount admission plugin insists).
  for (const name of ['builder', 'default']) {
    const sa = await call('POST', '/api/v1/namespaces/default/serviceaccounts', {}, { metadata: { name } });
    assert.equal(sa.status, 201, sa.text);
  }
  const pod = await call('POST', '/api/v1/namespaces/default/pods', {}, { metadata: { name: 'web' }, spec: { serviceAccountName: 'builder', containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(pod.status, 201, pod.text);
  const other = await call('POST', '/api/v1/namespaces/default/pods', {}, { metadata: { name: 'other' }, spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(other.status, 201, other.text);
  const cm = { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' };

  const ok = await call('POST', tokenURL('default', 'builder'), {}, tokenRequest());
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.kind, 'TokenRequest');
  assert.deepEqual(ok.json.spec, { audiences: [testIssuer], expirationSeconds: 3600 });
  assert.deepEqual({ name: ok.json.metadata.name, namespace: ok.json.metadata.namespace }, { name: 'builder', namespace: 'default' });
  const claims = claimsOf(ok.json.status.token);
  assert.equal(ok.json.status.expirationTimestamp, new Date(claims.exp * 1000).toISOString().replace('.000Z', 'Z'));

  const cases: Array<{ name: string; url?: string; body: object; status: number; message?: string; warning?: string; check?: (json: any) => void }> = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    { name: 'too short', body: tokenRequest({ expirationSeconds: 60 }), status: 422, message: 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes' },
    { name: 'too long', body: tokenRequest({ expirationSeconds: 2 ** 33 }), status: 422, message: `TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: ${2 ** 33}: may not specify a duration larger than 2^32 seconds` },
    {
      name: 'capped by --service-account-max-token-expiration',
      body: tokenRequest({ expirationSeconds: 86400 }),
      status: 201,
      warning: '299 - "requested expiration of 86400 seconds shortened to 7200 seconds"',
      check: (j) => assert.equal(claimsOf(j.status.token).exp - claimsOf(j.status.token).iat, 7200),
    },
    { name: 'audiences as asked', body: tokenRequest({ audiences: ['vault', 'api'] }), status: 201, check: (j) => assert.deepEqual(claimsOf(j.status.token).aud, ['vault', 'api']) },
    { name: 'missing service account', url: tokenURL('default', 'nobody'), body: tokenRequest(), status: 404, message: 'serviceaccounts "nobody" not found' },
    {
      name: 'bound to a pod',
      body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: pod.json.metadata.uid } }),
      status: 201,
      check: (j) => assert.deepEqual(claimsOf(j.status.token)['kubernetes.io'].pod, { name: 'web', uid: pod.json.metadata.uid }),
    },
    { name: 'pod of another service account', body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } }), status: 400, message: 'cannot bind token for serviceaccount "builder" to pod running with different serviceaccount name.' },
    { name: 'missing pod', body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } }), status: 404, message: 'pods "gone" not found' },
    {
      name: 'stale pod uid',
      body: tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'old' } }),
      status: 409,
      message: 'Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated',
    },
    { name: 'unsupported kind', body: tokenRequest({ boundObjectRef: cm }), status: 400, message: 'cannot bind token to object of type /v1, Kind=ConfigMap' },
    { name: 'other name in the body', body: { ...tokenRequest(), metadata: { name: 'someone-else' } }, status: 422, message: 'TokenRequest.authentication.k8s.io "builder" is invalid: metadata.name: Invalid value: "someone-else": must match the service account name if specified' },
    { name: 'other namespace in the body', body: { ...tokenRequest(), metadata: { namespace: 'kube-system' } }, status: 422, message: 'TokenRequest.authentication.k8s.io "builder" is invalid: metadata.namespace: Invalid value: "kube-system": must match the service account namespace if specified' },
    {
      name: "kubelet's 3607 s pod-bound token is extended to a year with warnafter",
      body: tokenRequest({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }),
      status: 201,
      check: (j) => {
        const c = claimsOf(j.status.token);
        assert.equal(c.exp - c.iat, 365 * 24 * 3600);
        assert.equal(c['kubernetes.io'].warnafter, c.iat + 3607);
        assert.equal(j.spec.expirationSeconds, 3607);
        assert.equal(Date.parse(j.status.expirationTimestamp) / 1000, c.iat + 3607);
      },
    },
    { name: 'not extended for another audience', body: tokenRequest({ expirationSeconds: 3607, audiences: ['vault'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }), status: 201, check: (j) => assert.equal(claimsOf(j.status.token).exp - claimsOf(j.status.token).iat, 3607) },
    { name: 'not extended when not pod-bound', body: tokenRequest({ expirationSeconds: 3607 }), status: 201, check: (j) => assert.equal(claimsOf(j.status.token)['kubernetes.io'].warnafter, undefined) },
    { name: 'GET is not allowed', url: tokenURL('default', 'builder'), body: tokenRequest(), status: 405 },
  ];
  for (const c of cases) {
    const r = await call(c.name.startsWith('GET') ? 'GET' : 'POST', c.url ?? tokenURL('default', 'builder'), {}, c.name.startsWith('GET') ? undefined : c.body);
    assert.equal(r.status, c.status, `${c.name}: ${r.text}`);
    if (c.message) assert.equal(r.json.message, c.message, c.name);
    assert.equal(r.headers.Warning, c.warning, c.name);
    c.check?.(r.json);
  }

  // The pod-bound token authenticates with the pod in its extra, until the pod is gone. Acceptances are
  // cached for 10 s, so the check after the deletion uses a second token that was never reviewed.
  const boundRequest = tokenRequest({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } });
  const bound = await call('POST', tokenURL('default', 'builder'), {}, boundRequest);
  const unused = await call('POST', tokenURL('default', 'builder'), {}, boundRequest);
  const review = async (token: string, audiences?: string[]) =>
    call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {}, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec: { token, ...(audiences ? { audiences } : {}) } });
  const before = await review(bound.json.status.token);
  assert.equal(before.status, 201, before.text);
  assert.equal(before.json.status.authenticated, true);
  assert.deepEqual(before.json.status.user.extra['authentication.kubernetes.io/pod-name'], ['web']);
  assert.deepEqual(before.json.status.audiences, [testIssuer]);
  assert.equal((await call('DELETE', '/api/v1/namespaces/default/pods/web?gracePeriodSeconds=0')).status, 200);
  const after = await review(unused.json.status.token);
  assert.deepEqual(after.json.status, { user: {}, error: 'service account token has been invalidated' });
});

test('TokenReview: token file and service-account tokens, audiences, unknown tokens', async (t) => {
  const { call } = await startSecureTestServer(t);
  await call('POST', '/api/v1/namespaces/default/serviceaccounts', {}, { metadata: { name: 'default' } });
  const vault = (await call('POST', tokenURL('default', 'default'), {}, tokenRequest({ audiences: ['vault'] }))).json.status.token;
  const review = (spec: object) => call('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {}, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', spec });
  const cases: Array<{ name: string; spec: object; status: object | number }> = [
    { name: 'static token', spec: { token: 'alice-token' }, status: { authenticated: true, user: { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] } } },
    { name: 'static token for the API audience', spec: { token: 'alice-token', audiences: [testIssuer] }, status: { authenticated: true, user: { username: 'alice', uid: '1001', groups: ['dev', 'ops', 'system:authenticated'] }, audiences: [testIssuer] } },
    { name: 'static token for another audience', spec: { token: 'alice-token', audiences: ['vault'] }, status: { user: {}, error: 'invalid bearer token' } },
    { name: 'vault token for vault', spec: { token: vault, audiences: ['vault'] }, status: { authenticated: true, user: { username: 'system:serviceaccount:default:default' }, audiences: ['vault'] } },
    { name: 'vault token for the API', spec: { token: vault }, status: { user: {}, error: `token audiences ["vault"] is invalid for the target audiences ["${testIssuer}"]` } },
    { name: 'unknown token', spec: { token: 'nope' }, status: { user: {}, error: 'invalid bearer token' } },
    { name: 'no token', spec: {}, status: 400 },
  ];
  for (const c of cases) {
    const r = await review(c.spec);
    if (typeof c.status === 'number') {
      assert.equal(r.status, c.status, c.name);
      continue;
    }
    assert.equal(r.status, 201, `${c.name}: ${r.text}`);
    const got = r.json.status;
    if (got.user?.username?.startsWith('system:serviceaccount:')) got.user = { username: got.user.username };
    assert.deepEqual(got, c.status, c.name);
  }
  assert.equal((await call('POST', '/apis/authentication.k8s.io/v1beta1/tokenreviews', {}, { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1beta1', spec: { token: 'x' } })).status, 404);
});

test('SelfSubjectReview answers v1 and the v1beta1 kubectl 1.27 uses; other versions are 404', async (t) => {
  const { call } = await startSecureTestServer(t);
  for (const [version, status] of [
    ['v1', 201],
    ['v1beta1', 201],
    ['v1alpha1', 404],
  ] as const) {
    const r = await call('POST', `/apis/authentication.k8s.io/${version}/selfsubjectreviews`, { authorization: 'Bearer alice-token' }, { kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${version}` });
    assert.equal(r.status, status, `${version}: ${r.text}`);
    if (status === 201) {
      assert.equal(r.json.apiVersion, `authentication.k8s.io/${version}`);
      assert.equal(r.json.status.userInfo.username, 'alice');
    }
  }
});

test('issuer discovery: served for an https issuer with upstream content types; not for other issuers', async (t) => {
  const { call, server } = await startSecureTestServer(t);
  const config = await call('GET', '/.well-known/openid-configuration');
  assert.equal(config.status, 200);
  assert.deepEqual(config.json, {
    issuer: testIssuer,
    jwks_uri: `https://127.0.0.1:0/openid/v1/jwks`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
  const jwks = await server.handler({ method: 'GET', path: '/openid/v1/jwks', query: new URLSearchParams(), headers: {}, body: new Uint8Array() }, new AbortController().signal);
  assert.ok('body' in jwks);
  assert.equal(jwks.headers['Content-Type'], 'application/jwk-set+json');
  assert.equal(jwks.headers['Cache-Control'], 'public, max-age=3600');
  const custom = await startSecureTestServer(t, { serviceAccountJWKSURI: 'https://issuer.example/keys' });
  assert.equal((await custom.call('GET', '/.well-known/openid-configuration')).json.jwks_uri, 'https://issuer.example/keys');
  const plain = await startSecureTestServer(t, { serviceAccountIssuers: ['kubernetes'] });
  assert.equal((await plain.call('GET', '/.well-known/openid-configuration')).status, 404);
});

test('TokenRequest: --service-account-extend-token-expiration=false issues kubelet tokens as asked', async (t) => {
  const { call } = await startSecureTestServer(t, { serviceAccountExtendTokenExpiration: false });
  assert.equal((await call('POST', '/api/v1/namespaces/default/serviceaccounts', {}, { metadata: { name: 'default' } })).status, 201);
  const pod = await call('POST', '/api/v1/namespaces/default/pods', {}, { metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(pod.status, 201, pod.text);
  const r = await call('POST', tokenURL('default', 'default'), {}, tokenRequest({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } }));
  assert.equal(r.status, 201, r.text);
  const c = claimsOf(r.json.status.token);
  assert.equal(c.exp - c.iat, 3607);
  assert.equal(c['kubernetes.io'].warnafter, undefined);
});
