// The tokens controller against fakes: which secrets get filled (and with which claims), which are deleted,
// and that a deleted secret is dropped from its account's `secrets` list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { serviceAccountsResource } from '../serviceaccount/serviceaccounts-controller.js';
import { secretsResource, serviceAccountTokenSecretType, TokensController } from './tokens-controller.js';

type ServiceAccount = Typed<corev1.ServiceAccount>;
type Secret = Typed<corev1.Secret>;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const account: ServiceAccount = { metadata: { namespace: 'ns', name: 'builder', uid: 'sa-1' }, secrets: [{ name: 'builder-token' }, { name: 'other' }] };

function secret(data: Record<string, string> = {}, annotations: Record<string, string> = { 'kubernetes.io/service-account.name': 'builder' }): Secret {
  return { metadata: { namespace: 'ns', name: 'builder-token', uid: 'sec-1', resourceVersion: '1', annotations }, type: serviceAccountTokenSecretType, data };
}

function setup(accounts: ServiceAccount[], secrets: Secret[]) {
  const client = new FakeClient();
  for (const a of accounts) client.seed(serviceAccountsResource, a);
  for (const s of secrets) client.seed(secretsResource, s);
  const signed: Array<Record<string, unknown>> = [];
  const controller = new TokensController({
    client,
    serviceAccounts: new FakeInformer(accounts),
    secrets: new FakeInformer(secrets),
    signer: { sign: (claims) => (signed.push(claims), 'signed-token') },
    rootCA: 'CA',
    serviceAccountQueue: new RecordingQueue(),
    secretQueue: new RecordingQueue(),
    clock: new FakeClock(0),
    logger: newLogger({ write: () => {} }),
  });
  return { client, controller, signed };
}

const key = { namespace: 'ns', name: 'builder-token', uid: 'sec-1', saName: 'builder', saUID: '' };

test('syncSecret fills what is missing and nothing else', async () => {
  const full = { token: b64('t'), 'ca.crt': b64('CA'), namespace: b64('ns') };
  const cases: Array<{ name: string; data: Record<string, string>; write?: string; signs: number; token?: string }> = [
    { name: 'empty', data: {}, write: 'update', signs: 1, token: 'signed-token' },
    { name: 'complete', data: full, signs: 0 },
    { name: 'stale CA keeps the token', data: { ...full, 'ca.crt': b64('OLD') }, write: 'update', signs: 0, token: 't' },
    { name: 'namespace missing', data: { token: full.token, 'ca.crt': full['ca.crt'] }, write: 'update', signs: 0, token: 't' },
  ];
  for (const c of cases) {
    const { client, controller, signed } = setup([account], [secret(c.data)]);
    await controller.syncSecret(key);
    assert.deepEqual(client.writes().map((w) => w.verb), c.write ? [c.write] : [], c.name);
    assert.equal(signed.length, c.signs, c.name);
    if (!c.write) continue;
    const stored = client.objects.get(client.key(secretsResource, 'ns', 'builder-token')) as Secret;
    assert.equal(Buffer.from(stored.data!.token, 'base64').toString(), c.token, c.name);
    assert.equal(Buffer.from(stored.data!['ca.crt'], 'base64').toString(), 'CA', c.name);
    assert.equal(stored.metadata?.annotations?.['kubernetes.io/service-account.uid'], 'sa-1', c.name);
  }
});

test('the legacy claims name the secret and the account', async () => {
  const { controller, signed } = setup([account], [secret()]);
  await controller.syncSecret(key);
  assert.deepEqual(signed, [
    {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'ns',
      'kubernetes.io/serviceaccount/secret.name': 'builder-token',
      'kubernetes.io/serviceaccount/service-account.name': 'builder',
      'kubernetes.io/serviceaccount/service-account.uid': 'sa-1',
      sub: 'system:serviceaccount:ns:builder',
    },
  ]);
});

test('orphaned secrets are deleted; a recorded account uid must match', async () => {
  const cases = [
    { name: 'account missing', accounts: [], saUID: '' },
    { name: 'account recreated (uid differs)', accounts: [account], saUID: 'sa-old' },
  ];
  for (const c of cases) {
    const { client, controller } = setup(c.accounts, [secret()]);
    await controller.syncSecret({ ...key, saUID: c.saUID });
    const writes = client.writes();
    assert.deepEqual(writes.map((w) => `${w.verb} ${w.resource}/${w.name}`), ['delete secrets/builder-token'], c.name);
  }
});

test('a deleted account takes its token secrets; a deleted secret leaves the account list', async () => {
  const other: Secret = { ...secret({}, { 'kubernetes.io/service-account.name': 'someone-else' }), metadata: { namespace: 'ns', name: 'x', uid: 'x' } };
  const { client, controller } = setup([], [secret(), other]);
  await controller.syncServiceAccount({ namespace: 'ns', name: 'builder', uid: 'sa-1' });
  assert.deepEqual(client.writes().map((w) => `${w.verb} ${w.name}`), ['delete builder-token']);

  const second = setup([account], []);
  await second.controller.syncSecret(key);
  const stored = second.client.objects.get(second.client.key(serviceAccountsResource, 'ns', 'builder')) as ServiceAccount;
  assert.deepEqual(stored.secrets, [{ name: 'other' }]);
});
