// The bootstrap signer and token cleaner against fakes: upstream's detached-JWS test vector, which tokens
// sign cluster-info, stale signatures removed, expired token secrets deleted and the rest revisited at expiry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as corev1 from '../../../api/generated/core/v1.js';
import { FakeClock } from '../../../base/clock.js';
import { newLogger } from '../../../base/logger.js';
import type { Typed } from '../../../client/typed.js';
import { FakeClient } from '../../testing/fake-client.js';
import { FakeInformer } from '../../testing/fake-informer.js';
import { RecordingQueue } from '../../testing/recording-queue.js';
import { BootstrapSigner, configMapsResource, secretsResource } from './bootstrap-signer.js';
import { computeDetachedSignature, type Secret } from './bootstrap-tokens.js';
import { TokenCleaner } from './token-cleaner.js';

type ConfigMap = Typed<corev1.ConfigMap>;
const logger = newLogger({ write: () => {} });
const now = Date.UTC(2026, 0, 1);

function token(id: string, data: Record<string, string>, name = `bootstrap-token-${id}`): Secret {
  const all = { 'token-id': id, 'token-secret': '0123456789abcdef', ...data };
  return {
    metadata: { name, namespace: 'kube-system', uid: `uid-${name}`, resourceVersion: '1' },
    type: 'bootstrap.kubernetes.io/token',
    data: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

test('detached JWS matches upstream’s test vector', () => {
  assert.equal(
    computeDetachedSignature('Hello from the other side. I must have called a thousand times.', 'joshua', 'my voice is my passcode'),
    'eyJhbGciOiJIUzI1NiIsImtpZCI6Impvc2h1YSJ9..VShe2taLd-YTrmWuRkcL_8QTNDHYxQIEBsAYYiIj1_8',
  );
});

test('cluster-info gets one signature per signing token; stale ones go, unrelated keys stay', async () => {
  const kubeconfig = 'apiVersion: v1\nkind: Config\n';
  const cm: ConfigMap = { metadata: { name: 'cluster-info', namespace: 'kube-public', resourceVersion: '1' }, data: { kubeconfig, other: 'x', 'jws-kubeconfig-gone00': 'stale' } };
  const secrets = [
    token('abcdef', { 'usage-bootstrap-signing': 'true' }),
    token('aaaaaa', { 'usage-bootstrap-signing': 'false' }),
    token('bbbbbb', { 'usage-bootstrap-signing': 'true', expiration: '2025-01-01T00:00:00Z' }),
    token('cccccc', { 'usage-bootstrap-signing': 'true', expiration: '2027-01-01T00:00:00Z' }),
    token('dddddd', { 'usage-bootstrap-signing': 'true' }, 'misnamed'),
  ];
  const client = new FakeClient(() => now);
  client.seed(configMapsResource, cm);
  const configMaps = new FakeInformer<ConfigMap>([cm]);
  client.onWrite = (_g, obj) => configMaps.update(obj as ConfigMap);
  const signer = new BootstrapSigner({ client, configMaps, secrets: new FakeInformer<Secret>(secrets), queue: new RecordingQueue(), clock: new FakeClock(now), logger });
  await signer.signConfigMap();
  const stored = client.objects.get(client.key(configMapsResource, 'kube-public', 'cluster-info')) as ConfigMap;
  assert.deepEqual(stored.data, {
    kubeconfig,
    other: 'x',
    'jws-kubeconfig-abcdef': computeDetachedSignature(kubeconfig, 'abcdef', '0123456789abcdef'),
    'jws-kubeconfig-cccccc': computeDetachedSignature(kubeconfig, 'cccccc', '0123456789abcdef'),
  });
  await signer.signConfigMap();
  assert.equal(client.writes().length, 1, 'no write when the signatures are current');
});

test('the token cleaner deletes expired tokens and revisits the others at their expiry', async () => {
  const secrets = [token('expird', { expiration: '2025-12-31T23:00:00Z' }), token('later0', { expiration: '2026-01-01T01:00:00Z' }), token('never0', {}), token('broken', { expiration: 'soon' })];
  const client = new FakeClient(() => now);
  for (const s of secrets) client.seed(secretsResource, s);
  const cleaner = new TokenCleaner({ client, secrets: new FakeInformer<Secret>(secrets), queue: new RecordingQueue(), clock: new FakeClock(now), logger });
  const results = [];
  for (const s of secrets) results.push(await cleaner.syncSecret(`kube-system/${s.metadata!.name}`));
  assert.deepEqual(results, [undefined, { requeueAfterMs: 3_600_000 }, undefined, undefined]);
  assert.deepEqual(client.writes().map((w) => `${w.verb} ${w.name}`), ['delete bootstrap-token-expird', 'delete bootstrap-token-broken']);
});
