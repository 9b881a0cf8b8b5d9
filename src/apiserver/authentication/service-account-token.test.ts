// Service-account JWTs: tokens from ServiceAccountTokenGenerator are accepted with upstream's user info,
// and every way a token can be wrong is rejected with upstream's reason (or left to other authenticators).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { FakeClock } from '../../base/clock.js';
import { signJWT } from './jwt.js';
import {
  legacyIssuer,
  ServiceAccountTokenAuthenticator,
  ServiceAccountTokenGenerator,
  type BoundObject,
  type ServiceAccountTokenAuthenticatorOptions,
  type ServiceAccountTokenGetter,
} from './service-account-token.js';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issuer = 'https://kubernetes.default.svc.cluster.local';

/** An in-memory object store keyed "kind/namespace/name". */
function fakeGetter(objects: Record<string, BoundObject>): ServiceAccountTokenGetter {
  return {
    serviceAccount: async (ns, n) => objects[`sa/${ns}/${n}`],
    pod: async (ns, n) => objects[`pod/${ns}/${n}`],
    secret: async (ns, n) => objects[`secret/${ns}/${n}`],
    node: async (n) => objects[`node//${n}`],
  };
}

function setup(overrides: Partial<ServiceAccountTokenAuthenticatorOptions> = {}, objects: Record<string, BoundObject> = { 'sa/default/builder': { uid: 'sa-uid' } }) {
  const clock = new FakeClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const generator = new ServiceAccountTokenGenerator({ issuer, privateKey: key.privateKey, clock });
  const authenticator = new ServiceAccountTokenAuthenticator({
    issuers: [issuer],
    legacy: true,
    keys: [key.publicKey, ecKey.publicKey],
    implicitAudiences: [issuer],
    getter: fakeGetter(objects),
    lookup: true,
    clock,
    ...overrides,
  });
  const sa = { namespace: 'default', name: 'builder', uid: 'sa-uid' };
  return { clock, generator, authenticator, sa };
}

test('a generated token carries upstream claims and authenticates as the service account', async () => {
  const { generator, authenticator, sa } = setup();
  const { token, expiresAt } = generator.generate({ serviceAccount: sa, audiences: [issuer], expirationSeconds: 3600 });
  const [, payload] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  assert.equal(claims.sub, 'system:serviceaccount:default:builder');
  assert.equal(claims.exp - claims.iat, 3600);
  assert.equal(expiresAt, claims.exp * 1000);
  assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid' } });
  const r = await authenticator.authenticateToken(token);
  assert.deepEqual(r, {
    user: {
      name: 'system:serviceaccount:default:builder',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    },
    audiences: [issuer],
  });
});

test('service-account token authentication outcomes', async () => {
  const objects: Record<string, BoundObject> = {
    'sa/default/builder': { uid: 'sa-uid' },
    'pod/default/web': { uid: 'pod-uid' },
    'node//n1': { uid: 'node-uid' },
    'secret/default/legacy': { uid: 'secret-uid' },
  };
  const cases: Array<{
    name: string;
    token: (s: ReturnType<typeof setup>) => string;
    audiences?: string[];
    opts?: Partial<ServiceAccountTokenAuthenticatorOptions>;
    objects?: Record<string, BoundObject>;
    step?: number;
    want: 'ok' | 'none' | RegExp;
    extra?: Record<string, string[]>;
  }> = [
    { name: 'good', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, want: 'ok' },
    { name: 'within the 60 s leeway after exp', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, step: 630_000, want: 'ok' },
    { name: 'expired', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, step: 661_000, want: /^service account token has expired$/ },
    {
      name: 'not valid yet',
      token: (s) => signJWT({ privateKey: key.privateKey, claims: { iss: issuer, aud: [issuer], sub: 'system:serviceaccount:default:builder', nbf: s.clock.now() / 1000 + 600, exp: s.clock.now() / 1000 + 1200, 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid' } } } }),
      want: /^service account token is not valid yet$/,
    },
    { name: 'another issuer is not ours', token: (s) => new ServiceAccountTokenGenerator({ issuer: 'https://elsewhere', privateKey: key.privateKey, clock: s.clock }).generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, want: 'none' },
    { name: 'wrong audience', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: ['vault'], expirationSeconds: 600 }).token, want: /^token audiences \["vault"\] is invalid for the target audiences \["https:\/\/kubernetes.default.svc.cluster.local"\]$/ },
    { name: 'requested audience', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: ['vault'], expirationSeconds: 600 }).token, audiences: ['vault'], want: 'ok' },
    {
      name: 'bad signature',
      token: (s) => {
        const t = s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token;
        return t.slice(0, -4) + (t.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      },
      want: /cryptographic primitive/,
    },
    { name: 'foreign key', token: (s) => new ServiceAccountTokenGenerator({ issuer, privateKey: foreign.privateKey, clock: s.clock }).generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, want: /cryptographic primitive/ },
    { name: 'second verification key (ES256)', token: (s) => new ServiceAccountTokenGenerator({ issuer, privateKey: ecKey.privateKey, clock: s.clock }).generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, want: 'ok' },
    { name: 'malformed', token: () => 'eyJhbGciOi.not-a-jwt', want: 'none' },
    { name: 'deleted service account', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, objects: {}, want: /^serviceaccounts "builder" not found$/ },
    { name: 'recreated service account', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600 }).token, objects: { 'sa/default/builder': { uid: 'new-uid' } }, want: /^service account UID \(new-uid\) does not match claim \(sa-uid\)$/ },
    {
      name: 'bound to a pod on a node',
      token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n1', uid: 'node-uid' } }).token,
      want: 'ok',
      extra: { 'authentication.kubernetes.io/pod-name': ['web'], 'authentication.kubernetes.io/pod-uid': ['pod-uid'], 'authentication.kubernetes.io/node-name': ['n1'], 'authentication.kubernetes.io/node-uid': ['node-uid'] },
    },
    {
      name: 'bound to a pod on a node that is gone (the node is information only)',
      token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, pod: { name: 'web', uid: 'pod-uid' }, node: { name: 'n2', uid: '' } }).token,
      want: 'ok',
      extra: { 'authentication.kubernetes.io/node-name': ['n2'], 'authentication.kubernetes.io/node-uid': undefined as unknown as string[] },
    },
    { name: 'bound to a node', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, node: { name: 'n1', uid: 'node-uid' } }).token, want: 'ok', extra: { 'authentication.kubernetes.io/node-name': ['n1'] } },
    { name: 'bound node deleted', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, node: { name: 'n9', uid: 'x' } }).token, want: /^service account token has been invalidated$/ },
    { name: 'bound node recreated', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, node: { name: 'n1', uid: 'old' } }).token, want: /^node UID \(node-uid\) does not match service account node ref claim \(old\)$/ },
    { name: 'bound pod deleted', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, pod: { name: 'gone', uid: 'x' } }).token, want: /^service account token has been invalidated$/ },
    { name: 'bound secret recreated', token: (s) => s.generator.generate({ serviceAccount: s.sa, audiences: [issuer], expirationSeconds: 600, secret: { name: 'legacy', uid: 'old' } }).token, want: /^secret UID \(secret-uid\) does not match service account secret ref claim \(old\)$/ },
  ];
  for (const c of cases) {
    const s = setup(c.opts, c.objects ?? objects);
    const token = c.token(s);
    if (c.step) s.clock.step(c.step);
    const r = await s.authenticator.authenticateToken(token, c.audiences);
    if (c.want === 'none') assert.equal(r, undefined, c.name);
    else if (c.want === 'ok') {
      assert.ok(r && 'user' in r, `${c.name}: ${JSON.stringify(r)}`);
      assert.equal(r.user.name, 'system:serviceaccount:default:builder');
      for (const [k, v] of Object.entries(c.extra ?? {})) assert.deepEqual(r.user.extra?.[k], v, `${c.name}: ${k}`);
    } else {
      assert.ok(r && 'error' in r, `${c.name}: ${JSON.stringify(r)}`);
      assert.match(r.error, c.want, c.name);
    }
  }
});

test('legacy secret-based tokens: accepted while the secret holds them; lookup off skips the check', async () => {
  const token = signJWT({
    privateKey: key.privateKey,
    claims: {
      iss: legacyIssuer,
      sub: 'system:serviceaccount:default:builder',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'builder-token',
      'kubernetes.io/serviceaccount/service-account.name': 'builder',
      'kubernetes.io/serviceaccount/service-account.uid': 'sa-uid',
    },
  });
  const stored = { 'sa/default/builder': { uid: 'sa-uid' }, 'secret/default/builder-token': { uid: 's', token: Buffer.from(token).toString('base64') } };
  const cases: Array<{ name: string; objects: Record<string, BoundObject>; lookup: boolean; legacy?: boolean; want: 'ok' | 'none' | RegExp }> = [
    { name: 'secret holds the token', objects: stored, lookup: true, want: 'ok' },
    { name: 'secret deleted', objects: { 'sa/default/builder': { uid: 'sa-uid' } }, lookup: true, want: /^token has been invalidated$/ },
    { name: 'secret holds another token', objects: { ...stored, 'secret/default/builder-token': { uid: 's', token: 'eA==' } }, lookup: true, want: /^token does not match secret$/ },
    { name: 'lookup off', objects: {}, lookup: false, want: 'ok' },
    { name: 'legacy tokens not accepted without --service-account-key-file', objects: stored, lookup: true, legacy: false, want: 'none' },
  ];
  for (const c of cases) {
    const s = setup({ lookup: c.lookup, legacy: c.legacy ?? true }, c.objects);
    const r = await s.authenticator.authenticateToken(token);
    if (c.want === 'none') assert.equal(r, undefined, c.name);
    else if (c.want === 'ok') assert.ok(r && 'user' in r && r.user.name === 'system:serviceaccount:default:builder', `${c.name}: ${JSON.stringify(r)}`);
    else {
      assert.ok(r && 'error' in r, `${c.name}: ${JSON.stringify(r)}`);
      assert.match(r.error, c.want, c.name);
    }
  }
});
